// Scenarios that must hold in both DingTalk modes (HTTP callbacks and Stream): the full ticket life
// and the negative cases that do not depend on the transport. Each asserts on the SQLite rows and
// on what the fake DingTalk received.
import { expect } from "vitest";
import { allEvents } from "../../src/store/tickets.js";
import { ticketTemplateViolations, webhookBodyViolations } from "./dingtalk-card-rules.js";
import {
  buttonActions,
  buttonClick,
  cardCreates,
  cardUpdates,
  DT,
  formActions,
  formSubmit,
  groupMessages,
  noticeSeenBy,
  ticketCardOf,
  webhookTexts,
  who,
  type DingTalkRig,
  type Person,
} from "./dingtalk-rig.js";

const personOf: Record<string, Person> = { zhang: who.zhang, li: who.li };
const everyone: Person[] = [who.reporter, who.zhang, who.li, who.stranger];
/** Who sees which notice under the card's buttons now (people who see none are left out). */
const noticesOn = (rig: DingTalkRig, ref: string) =>
  Object.fromEntries(everyone.flatMap((p) => {
    const n = noticeSeenBy(rig, ref, p);
    return n === undefined ? [] : [[p.id, n]];
  }));

/**
 * Post a feedback message @ the bot and return its ticket (exactly one must exist). Scenarios use
 * their own group so the outbox's per-chat pacing (20 messages a minute) never couples them.
 */
export async function reportIssue(rig: DingTalkRig, text: string, group: string = DT.group) {
  const msg = rig.message(text, who.reporter, { conversationId: group });
  await rig.robot(msg);
  const tickets = await rig.server.db.ticket.findMany({ where: { platform: "dingtalk", messageId: msg.msgId as string } });
  expect(tickets).toHaveLength(1);
  return { msg, ticket: tickets[0]! };
}

const groupTextsAbout = (rig: DingTalkRig, number: string) => groupMessages(rig.fake).filter((m) => m.param.content?.includes(number));
/** Notices to the reporter about a ticket: through the group's stored session webhook, @-mentioning them. */
const reporterNotices = (rig: DingTalkRig, number: string) =>
  webhookTexts(rig.fake).filter((c) => c.body?.text?.content?.includes(number) && c.body.at?.atUserIds?.includes(who.reporter.id));

/** message @bot → ticket + card; claim; progress; resolve; confirm with rating → closed, all on the card. */
export async function ticketLife(rig: DingTalkRig): Promise<void> {
  const { server: s, fake } = rig;
  const createsBefore = cardCreates(fake).length;

  // 1. The reporter @s the bot in the support group.
  const { msg, ticket: t0 } = await reportIssue(rig, "客户反馈：系统报错无法登录，部分功能受影响\n客户: 华为技术有限公司\n联系方式: 13812345678");
  expect(t0).toMatchObject({
    status: "open",
    platform: "dingtalk",
    chatId: `group:${DT.group}`,
    reporterId: who.reporter.id,
    reporterName: who.reporter.nick,
    department: "tech",
    customerName: "华为技术有限公司",
    version: 1,
  });
  expect(["zhang", "li"]).toContain(t0.handlerId);
  const handler = personOf[t0.handlerId!]!;
  expect(await s.db.inboundEvent.findUnique({ where: { id: `dingtalk:msg:${msg.msgId as string}` } })).toMatchObject({ status: "done", attempts: 1 });

  // The card: created once, from the template, in the group, with data the template accepts.
  const creates = cardCreates(fake).slice(createsBefore);
  expect(creates).toHaveLength(1);
  const card = await ticketCardOf(rig, t0.id);
  expect(card.group).toBe(DT.group);
  const create = creates[0]!;
  expect(create.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-\d+$/);
  expect(create.body).toMatchObject({
    cardTemplateId: DT.templateId,
    outTrackId: card.ref,
    openSpaceId: `dtv1.card//IM_GROUP.${DT.group}`,
    callbackType: rig.mode === "http" ? "HTTP" : "STREAM",
    userIdType: 1,
    imGroupOpenDeliverModel: { robotCode: DT.robotCode },
  });
  if (rig.mode === "http") expect(create.body.callbackRouteKey).toBe("chatdesk");
  else expect(create.body).not.toHaveProperty("callbackRouteKey");
  const created = create.body.cardData.cardParamMap as Record<string, string>;
  expect(ticketTemplateViolations(created)).toEqual([]);
  expect(created.headerTitle).toMatch(new RegExp(`^${t0.number} `));
  expect(created.headerSubtitle).toBe("待处理 · 问题反馈 / 登录异常 · 技术部");
  expect(buttonActions(created)).toEqual(["claim", "reject"]);
  expect(JSON.parse(created.fields!)).toEqual(expect.arrayContaining([{ label: "处理人", value: handler.nick }, { label: "联系方式", value: "138****5678" }]));

  // The handler is @-mentioned through the message's session webhook (the OpenAPI cannot @).
  const session = new URL(msg.sessionWebhook as string).searchParams.get("session");
  const assigned = webhookTexts(fake).filter((c) => c.body?.text?.content?.includes(t0.number));
  expect(assigned).toHaveLength(1);
  expect(assigned[0]!.query.session).toBe(session);
  expect(assigned[0]!.body).toEqual({
    msgtype: "text",
    text: { content: `工单 ${t0.number} 已分派给你，请及时处理。 @${handler.id}` },
    at: { atUserIds: [handler.id], isAtAll: false },
  });
  expect(webhookBodyViolations(assigned[0]!.body)).toEqual([]);

  // 2. The handler taps 认领.
  const claimReply = await rig.click(buttonClick(card, "claim", handler));
  expect(claimReply.userPrivateData?.cardParamMap).toEqual({ notice: "认领成功", noticeKind: "success", noticeVersion: "2" });
  expect(claimReply.cardUpdateOptions).toEqual({ updateCardDataByKey: true, updatePrivateDataByKey: true });
  expect(ticketTemplateViolations(claimReply.cardData!.cardParamMap)).toEqual([]);
  expect(claimReply.cardData!.cardParamMap.headerSubtitle).toMatch(/^处理中 · /);
  const t1 = await s.db.ticket.findUniqueOrThrow({ where: { id: t0.id } });
  expect(t1).toMatchObject({ status: "in_progress", handlerId: t0.handlerId, version: 2 });
  expect(t1.firstResponseAt).not.toBeNull();
  const claimed = await ticketCardOf(rig, t0.id);
  expect(claimed.ref).toBe(card.ref);
  expect(claimed.data.headerSubtitle).toMatch(/^处理中 · /);
  expect(buttonActions(claimed.data)).not.toContain("claim");
  // Two form slots: 提交进展 and 标记已解决 (with its result input) are both on the card.
  expect(formActions(claimed.data)).toEqual(["progress", "resolve"]);
  expect(claimed.data.form2Input1Label).toBe("处理结果 *");
  expect(claimed.data.commands).not.toContain("/resolve");
  expect(claimed.data.cardVersion).toBe("2");
  // Only the clicker sees the notice.
  expect(noticesOn(rig, card.ref)).toEqual({ [handler.id]: "认领成功" });
  // The reporter hears of it with an @, through the group's session webhook (stored from their message, still valid).
  const toReporter = reporterNotices(rig, t0.number);
  expect(toReporter.map((c) => c.body)).toEqual([
    { msgtype: "text", text: { content: `你提报的工单 ${t0.number} 状态更新为「处理中」。 @${who.reporter.id}` }, at: { atUserIds: [who.reporter.id], isAtAll: false } },
  ]);
  expect(toReporter[0]!.query.session).toBe(session);
  expect(webhookBodyViolations(toReporter[0]!.body)).toEqual([]);
  expect(groupTextsAbout(rig, t0.number)).toEqual([]);

  // 3. Progress through the card's form.
  const progressReply = await rig.click(formSubmit(claimed, "progress", { text: "已定位到认证服务超时" }, handler));
  expect(progressReply.userPrivateData?.cardParamMap).toEqual({ notice: "提交进展成功", noticeKind: "success", noticeVersion: "3" });
  const t2 = await s.db.ticket.findUniqueOrThrow({ where: { id: t0.id } });
  expect(t2).toMatchObject({ status: "in_progress", version: 3 });
  const progressed = await ticketCardOf(rig, t0.id);
  expect(progressed.data.note).toContain("已定位到认证服务超时");
  expect(noticesOn(rig, card.ref)).toEqual({ [handler.id]: "提交进展成功" });

  // 4. Resolve through the card's second form, with the result typed into its input.
  const resolveClick = formSubmit(progressed, "resolve", { result: "已发布 v3.2.1 修复" }, handler);
  const resolveContent = JSON.parse(resolveClick.content as string) as { cardPrivateData: { actionIds: string[]; params: Record<string, string> } };
  expect(resolveContent.cardPrivateData.actionIds).toEqual(["form2Submit"]);
  expect(resolveContent.cardPrivateData.params.form2Input1).toBe("已发布 v3.2.1 修复");
  const resolveReply = await rig.click(resolveClick);
  expect(resolveReply.userPrivateData?.cardParamMap).toEqual({ notice: "标记已解决成功", noticeKind: "success", noticeVersion: "4" });
  expect(resolveReply.cardData!.cardParamMap.headerSubtitle).toMatch(/^待确认 · /);
  const t3 = await s.db.ticket.findUniqueOrThrow({ where: { id: t0.id } });
  expect(t3).toMatchObject({ status: "resolved", result: "已发布 v3.2.1 修复", version: 4 });
  expect(t3.resolvedAt).not.toBeNull();
  const resolved = await ticketCardOf(rig, t0.id);
  expect(resolved.data.headerSubtitle).toMatch(/^待确认 · /);
  expect(resolved.data.content).toContain("已发布 v3.2.1 修复");
  expect(formActions(resolved.data)).toEqual(["confirm", "reopen"]);
  expect(reporterNotices(rig, t0.number).map((c) => c.body.text.content).at(-1)).toBe(`工单 ${t0.number} 已解决，请与客户确认结果并记录满意度。 @${who.reporter.id}`);

  // 5. The reporter confirms with a rating through the card's form → closed.
  const confirmReply = await rig.click(formSubmit(resolved, "confirm", { score: "5", comment: "客户确认已恢复" }, who.reporter));
  expect(confirmReply.userPrivateData?.cardParamMap).toEqual({ notice: "确认解决成功", noticeKind: "success", noticeVersion: "5" });
  const t4 = await s.db.ticket.findUniqueOrThrow({ where: { id: t0.id } });
  expect(t4).toMatchObject({ status: "closed", satisfaction: 5, customerComment: "客户确认已恢复", handlerId: t0.handlerId, version: 5 });
  expect(t4.closedAt).not.toBeNull();
  const ratings = await s.db.satisfaction.findMany({ where: { ticketId: t0.id } });
  expect(ratings).toHaveLength(1);
  expect(ratings[0]).toMatchObject({ score: 5, comment: "客户确认已恢复", actorId: who.reporter.id });
  const closed = await ticketCardOf(rig, t0.id);
  expect(closed.data.headerSubtitle).toMatch(/^已关闭 · /);
  expect(JSON.parse(closed.data.fields!)).toContainEqual({ label: "满意度", value: "★★★★★ 非常满意" });
  expect(reporterNotices(rig, t0.number).map((c) => c.body.text.content).at(-1)).toBe(`你提报的工单 ${t0.number} 状态更新为「已关闭」。 @${who.reporter.id}`);
  // The handler's 标记已解决成功 went with version 4; the card is at 5, so only the reporter's notice shows.
  expect(noticesOn(rig, card.ref)).toEqual({ [who.reporter.id]: "确认解决成功" });

  // The timeline, in order, one event per version.
  const events = await allEvents(s.db, t0.id);
  expect(events.map((e) => e.kind)).toEqual(["created", "claimed", "progress", "resolved", "confirmed"]);
  expect(events.map((e) => e.ticketVersion)).toEqual([1, 2, 3, 4, 5]);
  expect(events.map((e) => e.source)).toEqual(["message", "card", "card", "card", "card"]);
  expect(events.map((e) => e.actorId)).toEqual([who.reporter.id, handler.id, handler.id, handler.id, who.reporter.id]);
  expect(JSON.parse(events[2]!.payload)).toMatchObject({ text: "已定位到认证服务超时" });

  // One card for the whole life, updated in place: every update targets its outTrackId.
  expect(cardCreates(fake).slice(createsBefore)).toHaveLength(1);
  const updates = cardUpdates(fake, card.ref);
  expect(updates.length).toBeGreaterThanOrEqual(4);
  for (const u of updates) {
    expect(u.status).toBe(200);
    expect(u.body.cardUpdateOptions).toEqual({ updateCardDataByKey: true });
    expect(ticketTemplateViolations(u.body.cardData.cardParamMap)).toEqual([]);
  }
  const outbox = await s.db.outboundMessage.findMany({ where: { ticketId: t0.id } });
  expect(outbox.filter((o) => o.status !== "sent" && o.status !== "superseded")).toEqual([]);
}

/**
 * Resolving by text command still works next to the card: the handler @s the bot with
 * `/resolve <编号> <结果>`, and the card (updated in place) moves on to 待确认.
 */
export async function resolveByCommand(rig: DingTalkRig): Promise<void> {
  const { server: s } = rig;
  const group = "cid_resolve_command==";
  const { ticket } = await reportIssue(rig, "客户反馈：系统报错，支付回调失败", group);
  const handler = personOf[ticket.handlerId!]!;
  const card = await ticketCardOf(rig, ticket.id);
  await rig.click(buttonClick(card, "claim", handler));
  expect(noticesOn(rig, card.ref)).toEqual({ [handler.id]: "认领成功" });

  await rig.robot(rig.message(`/resolve ${ticket.number} 已修复回调签名`, handler, { conversationId: group }));
  const after = await s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  expect(after).toMatchObject({ status: "resolved", result: "已修复回调签名", version: 3 });
  const events = await allEvents(s.db, ticket.id);
  expect(events.map((e) => [e.kind, e.source])).toEqual([["created", "message"], ["claimed", "card"], ["resolved", "command"]]);
  const resolved = await ticketCardOf(rig, ticket.id);
  expect(resolved.ref).toBe(card.ref);
  expect(resolved.data.headerSubtitle).toMatch(/^待确认 · /);
  expect(formActions(resolved.data)).toEqual(["confirm", "reopen"]);
  // The command gives no notice, and the claim notice went with version 2.
  expect(noticesOn(rig, card.ref)).toEqual({});
}

/**
 * A notice reflects only the clicker's latest click and only until the card moves on: another
 * change (a text command, someone else's click) hides it, failed clicks included.
 */
export async function noticesFollowTheCard(rig: DingTalkRig): Promise<void> {
  const group = "cid_notices==";
  const { ticket } = await reportIssue(rig, "客户反馈：系统报错，消息推送延迟", group);
  const handler = personOf[ticket.handlerId!]!;
  const card = await ticketCardOf(rig, ticket.id);

  // A refused click gets a warning stamped with the version it was refused on.
  const refused = await rig.click(buttonClick(card, "claim", who.stranger));
  expect(refused.userPrivateData?.cardParamMap).toMatchObject({ noticeKind: "warning", noticeVersion: "1" });
  expect(Object.keys(noticesOn(rig, card.ref))).toEqual([who.stranger.id]);

  // The handler's claim moves the card on: the stranger's warning is gone, the handler sees theirs.
  await rig.click(buttonClick(card, "claim", handler));
  expect(noticesOn(rig, card.ref)).toEqual({ [handler.id]: "认领成功" });

  // A change made outside the card (a text command) hides the handler's notice too.
  await rig.robot(rig.message(`/progress ${ticket.number} 已联系推送服务商`, handler, { conversationId: group }));
  const progressed = await ticketCardOf(rig, ticket.id);
  expect(progressed.data.cardVersion).toBe("3");
  expect(noticesOn(rig, card.ref)).toEqual({});

  // A later click replaces the clicker's notice with the new one.
  await rig.click(formSubmit(progressed, "resolve", { result: "服务商已扩容" }, handler));
  expect(noticesOn(rig, card.ref)).toEqual({ [handler.id]: "标记已解决成功" });
  expect(rig.privateData.get(card.ref)!.get(handler.id)).toEqual({ notice: "标记已解决成功", noticeKind: "success", noticeVersion: "4" });
}

/** The same message delivered five times at once: one ticket, one card, one @mention. */
export async function duplicateFiveTimes(rig: DingTalkRig): Promise<void> {
  const { server: s, fake } = rig;
  const msg = rig.message("客户反馈：导出报表时报错 502", who.reporter, { conversationId: "cid_duplicates==" });
  const createsBefore = cardCreates(fake).length;
  await Promise.all(Array.from({ length: 5 }, () => rig.robot(msg)));
  const tickets = await s.db.ticket.findMany({ where: { messageId: msg.msgId as string } });
  expect(tickets).toHaveLength(1);
  expect(await s.db.inboundEvent.count({ where: { id: { contains: msg.msgId as string } } })).toBe(1);
  expect(cardCreates(fake).slice(createsBefore)).toHaveLength(1);
  expect(webhookTexts(fake).filter((c) => c.body?.text?.content?.includes(tickets[0]!.number))).toHaveLength(1);
  expect(await s.db.ticketEvent.count({ where: { ticketId: tickets[0]!.id } })).toBe(1);
}

/** Someone outside the department taps 认领: told why, and nothing changes. */
export async function unauthorisedClick(rig: DingTalkRig): Promise<void> {
  const { server: s, fake } = rig;
  const { ticket } = await reportIssue(rig, "客户反馈：系统报错，订单页面打不开", "cid_unauthorised==");
  const card = await ticketCardOf(rig, ticket.id);
  const updatesBefore = cardUpdates(fake, card.ref).length;
  const reply = await rig.click(buttonClick(card, "claim", who.stranger));
  expect(reply.userPrivateData?.cardParamMap.noticeKind).toBe("warning");
  expect(reply.userPrivateData?.cardParamMap.notice).toMatch(/^你没有权限认领（需要：/);
  expect(reply.userPrivateData?.cardParamMap.noticeVersion).toBe("1");
  expect(noticesOn(rig, card.ref)).toEqual({ [who.stranger.id]: reply.userPrivateData!.cardParamMap.notice });
  // The clicker's view is reset to the current card (still open, still claimable).
  expect(reply.cardData!.cardParamMap.headerSubtitle).toMatch(/^待处理 · /);
  expect(buttonActions(reply.cardData!.cardParamMap)).toContain("claim");
  const after = await s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  expect(after).toMatchObject({ status: "open", version: 1, handlerId: ticket.handlerId, firstResponseAt: null });
  expect(await s.db.ticketEvent.count({ where: { ticketId: ticket.id } })).toBe(1);
  expect(cardUpdates(fake, card.ref)).toHaveLength(updatesBefore);
  expect(fake.cards.get(card.ref)!.headerSubtitle).toMatch(/^待处理 · /);
}

/** Two handlers tap 认领 on the same card at the same moment: exactly one wins. */
export async function simultaneousClaims(rig: DingTalkRig): Promise<void> {
  const { server: s } = rig;
  const { ticket } = await reportIssue(rig, "客户反馈：系统报错 500，接口超时", "cid_claims==");
  const card = await ticketCardOf(rig, ticket.id);
  const [a, b] = await Promise.all([rig.click(buttonClick(card, "claim", who.zhang)), rig.click(buttonClick(card, "claim", who.li))]);
  const kinds = [a.userPrivateData!.cardParamMap.noticeKind, b.userPrivateData!.cardParamMap.noticeKind];
  expect([...kinds].sort()).toEqual(["success", "warning"]);
  const winner = kinds[0] === "success" ? "zhang" : "li";
  const loser = kinds[0] === "success" ? b : a;
  expect(loser.cardData!.cardParamMap.headerSubtitle).toMatch(/^处理中 · /);
  const after = await s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  expect(after).toMatchObject({ status: "in_progress", version: 2, handlerId: winner });
  const events = await allEvents(s.db, ticket.id);
  expect(events.map((e) => e.kind)).toEqual(["created", "claimed"]);
  expect(events[1]!.actorId).toBe(personOf[winner]!.id);
  expect((await ticketCardOf(rig, ticket.id)).data.headerSubtitle).toMatch(/^处理中 · /);
}
