// Issue 12 on DingTalk WITH the card template: a whole ticket life through the real routes, and for every
// card create/update and every message the fake DingTalk received, what a person in the group reads —
// status and priority labels, handler / reporter / actor names (never staffIds or workflow ids), the
// timeline excerpt, the @mention on notices (who DingTalk notifies and the name it draws) and which
// conversation each went to. Once in zh-CN over HTTP callbacks, once in en over Stream.
// The reporter (dt_cs_liu) is not in the workflow file: their name comes from the event's senderNick, or,
// where the fake address book knows them, from the contact API through the PersonName cache.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardCallback } from "../support/dingtalk-events.js";
import { sessionFor } from "../support/dingtalk-plain.js";
import { buttonClick, formSubmit, startDingTalkRig, ticketCardOf, who, type DingTalkMode, type DingTalkRig, type Person } from "../support/dingtalk-rig.js";
import { readingTexts, seenSince, type Seen } from "../support/dingtalk-visible.js";

interface Words {
  locale: "zh-CN" | "en";
  mode: DingTalkMode;
  /** The reporter's name as the address book has it (API lookup); undefined: the senderNick is all we know. */
  apiName?: string;
  f: { handler: string; reporter: string; priority: string; satisfaction: string };
  status: { open: string; in_progress: string; resolved: string; closed: string };
  priority: { high: string; urgent: string };
  subtitleTail: string;
  ev: { created: string; claimed: string; progress: string; priority: string; resolved: string; confirmed: string };
  stars: string;
  claimButton: string;
  rejectButton: string;
  /** Forms in progress, awaiting confirmation, and once closed (reopening stays possible). */
  forms: { working: string[]; resolved: string[]; closed: string[] };
  select: string;
  assigned: (n: string) => string;
  statusNotice: (n: string, s: string) => string;
  resolvedNotice: (n: string) => string;
  toast: { claim: string; priority: string; resolve: string; confirm: string };
  commands: (n: string) => string[];
}

const zh: Words = {
  locale: "zh-CN",
  mode: "http",
  f: { handler: "处理人", reporter: "提报人", priority: "优先级", satisfaction: "满意度" },
  status: { open: "待处理", in_progress: "处理中", resolved: "待确认", closed: "已关闭" },
  priority: { high: "高", urgent: "紧急" },
  subtitleTail: " · 问题反馈 / 登录异常 · 技术部",
  ev: { created: "创建工单", claimed: "认领", progress: "进展", priority: "调整优先级", resolved: "已解决", confirmed: "确认解决" },
  stars: "★★★★★ 非常满意",
  claimButton: "认领",
  rejectButton: "驳回",
  forms: { working: ["提交进展 [处理进展 *]", "标记已解决 [处理结果 *]"], resolved: ["确认解决 [客户满意度 *, 客户反馈]", "未解决，重新打开 [原因]"], closed: ["未解决，重新打开 [原因]"] },
  select: "调整优先级",
  assigned: (n) => `工单 ${n} 已分派给你，请及时处理。`,
  statusNotice: (n, s) => `你提报的工单 ${n} 状态更新为「${s}」。`,
  resolvedNotice: (n) => `工单 ${n} 已解决，请与客户确认结果并记录满意度。`,
  toast: { claim: "认领成功", priority: "调整优先级成功", resolve: "标记已解决成功", confirm: "确认解决成功" },
  commands: (n) => [`改派给…：/reassign ${n} @处理人`, `标记受阻：/block ${n} <受阻原因>`, `暂停计时（待反馈）：/wait ${n} <customer|third_party> <等待原因>`],
};

const en: Words = {
  locale: "en",
  mode: "stream",
  apiName: "刘晓红",
  f: { handler: "Handler", reporter: "Reporter", priority: "Priority", satisfaction: "Satisfaction" },
  status: { open: "Open", in_progress: "In progress", resolved: "Awaiting confirmation", closed: "Closed" },
  priority: { high: "High", urgent: "Urgent" },
  subtitleTail: " · Bug / fault / Login problem · Tech Support",
  ev: { created: "Created", claimed: "Claimed", progress: "Progress", priority: "Priority changed", resolved: "Resolved", confirmed: "Confirmed" },
  stars: "★★★★★ Very satisfied",
  claimButton: "Claim",
  rejectButton: "Reject",
  forms: { working: ["Add progress [Progress *]", "Mark resolved [Result *]"], resolved: ["Confirm [Customer satisfaction *, Customer comment]", "Not solved, reopen [Reason]"], closed: ["Not solved, reopen [Reason]"] },
  select: "Change priority",
  assigned: (n) => `Ticket ${n} is assigned to you.`,
  statusNotice: (n, s) => `Your ticket ${n} is now "${s}".`,
  resolvedNotice: (n) => `Ticket ${n} is resolved: please confirm with the customer and record satisfaction.`,
  toast: { claim: "Claim: done", priority: "Change priority: done", resolve: "Mark resolved: done", confirm: "Confirm: done" },
  commands: (n) => [`Reassign to…：/reassign ${n} @handler`, `Mark blocked：/block ${n} <Blocked because>`, `Pause clock (waiting)：/wait ${n} <customer|third_party> <What we wait for>`],
};

/**
 * Ids and codes nobody should read: DingTalk staffIds, workflow person ids, status / priority / category codes
 * (in English "resolved" and "closed" are also plain words of the sentences, so only zh-CN lists them).
 */
const IDS_AND_CODES = /dt_[a-z]|\b(zhang|li|wang|zhao)\b|\b(open|in_progress|urgent|high|medium|low|bug|login)\b/;
const NOT_FOR_PEOPLE = { "zh-CN": new RegExp(`${IDS_AND_CODES.source}|\\b(resolved|closed)\\b`), en: IDS_AND_CODES };

describe.each([zh, en])("DingTalk with the card template, $locale ($mode mode): what the group reads", (w) => {
  let rig: DingTalkRig;
  const group = `cid_visible_${w.mode}==`;
  const lead: Person = { id: "dt_wang", nick: "王主管" };
  const reporterName = w.apiName ?? who.reporter.nick;
  /** DingTalk draws an @ with the member's name from its address book; the test knows the people. */
  const nameOf = (id: string) => ({ dt_zhang: "张三", dt_li: "李四", dt_wang: "王主管", [who.reporter.id]: reporterName })[id];

  beforeAll(async () => {
    rig = await startDingTalkRig(w.mode, { config: { locale: w.locale } });
    if (w.apiName) rig.fake.users.set(who.reporter.id, { name: w.apiName });
  });
  afterAll(() => rig.close());

  /** Run a step; return what reached DingTalk meanwhile, every text checked for ids and codes. */
  const during = async (step: () => Promise<unknown>): Promise<Seen[]> => {
    const from = rig.fake.calls.length;
    await step();
    await rig.server.idle();
    const seen = seenSince(rig.fake, from, nameOf);
    for (const s of seen) {
      const texts = s.kind === "card" ? readingTexts(s.card).filter((t) => !t.startsWith("/") && !/：\//.test(t)) : [s.text];
      for (const t of texts) expect(t, `${s.kind} to ${s.to}`).not.toMatch(NOT_FOR_PEOPLE[w.locale]);
    }
    return seen;
  };
  const cards = (seen: Seen[]) => seen.flatMap((s) => (s.kind === "card" ? [s] : []));
  const texts = (seen: Seen[]) => seen.flatMap((s) => (s.kind === "text" ? [[s.to, s.text, s.at]] : []));
  const say = (from: Person, text: string) => rig.robot(rig.message(text, from, { conversationId: group, sessionWebhook: sessionFor(rig.fake, group) }));

  it("create → claim → progress → priority → resolve → confirm ★5 → closed", async () => {
    // 1. The reporter @s the bot: one card, in the group, naming the handler and the reporter.
    const created = await during(() => say(who.reporter, "客户反馈：系统报错无法登录，部分功能受影响\n客户: 华为"));
    const t = await rig.server.db.ticket.findFirstOrThrow({ where: { chatId: `group:${group}` } });
    const n = t.number;
    expect(t.handlerId).toBe("zhang");
    expect(await rig.server.db.personName.findUnique({ where: { platform_userId: { platform: "dingtalk", userId: who.reporter.id } } })).toMatchObject({
      name: reporterName,
      source: w.apiName ? "api" : "event",
    });
    const [card0] = cards(created);
    expect(cards(created).map((c) => [c.how, c.to])).toEqual([["create", group]]);
    const ref = card0!.ref;
    expect(card0!.card).toMatchObject({
      title: expect.stringMatching(new RegExp(`^${n} 客户反馈`)),
      subtitle: `${w.status.open}${w.subtitleTail}`,
      tags: [w.status.open, w.priority.high],
      fields: expect.objectContaining({ [w.f.handler]: "张三", [w.f.reporter]: reporterName, [w.f.priority]: w.priority.high }),
      timeline: [`${reporterName} ${w.ev.created}`],
      buttons: [w.claimButton, w.rejectButton],
      forms: [],
    });
    // The handler is told with an @ in the group (the session webhook of the reporter's message).
    expect(texts(created)).toEqual([[group, `${w.assigned(n)} @张三`, [who.zhang.id]]]);

    // 2. 张三 taps claim: the same card updated; the reporter hears of it with an @.
    let card = await ticketCardOf(rig, t.id);
    let reply: Awaited<ReturnType<DingTalkRig["click"]>> | undefined;
    const claimed = await during(async () => (reply = await rig.click(buttonClick(card, "claim", who.zhang))));
    expect(reply!.userPrivateData?.cardParamMap.notice).toBe(w.toast.claim);
    expect(cards(claimed).map((c) => [c.how, c.ref, c.to])).toEqual([["update", ref, group]]);
    expect(cards(claimed)[0]!.card).toMatchObject({
      subtitle: `${w.status.in_progress}${w.subtitleTail}`,
      tags: [w.status.in_progress, w.priority.high],
      fields: expect.objectContaining({ [w.f.handler]: "张三", [w.f.reporter]: reporterName }),
      timeline: [`张三 ${w.ev.claimed}`, `${reporterName} ${w.ev.created}`],
      buttons: [w.rejectButton],
      forms: w.forms.working,
      select: `${w.select}: ${w.priority.high}`,
      // What cannot be a button is offered as the command to type, its hints in the card's language.
      commands: w.commands(n),
    });
    expect(texts(claimed)).toEqual([[group, `${w.statusNotice(n, w.status.in_progress)} @${reporterName}`, [who.reporter.id]]]);

    // 3. Progress through the card's form: in the timeline under the handler's name; nobody is pinged.
    card = await ticketCardOf(rig, t.id);
    const progressed = await during(() => rig.click(formSubmit(card, "progress", { text: "已定位到认证服务超时" }, who.zhang)));
    expect(cards(progressed).map((c) => [c.how, c.ref])).toEqual([["update", ref]]);
    expect(cards(progressed)[0]!.card.timeline).toEqual([`张三 ${w.ev.progress}：已定位到认证服务超时`, `张三 ${w.ev.claimed}`, `${reporterName} ${w.ev.created}`]);
    expect(texts(progressed)).toEqual([]);

    // 4. The lead (王主管) raises the priority with the card's select: labels on both sides of the arrow.
    card = await ticketCardOf(rig, t.id);
    const raised = await during(async () => {
      reply = await rig.click(cardCallback({ outTrackId: card.ref, userId: lead.id, spaceId: card.group, actionId: "select", params: { value: card.data.selectValue, option: { value: "urgent" } } }));
    });
    expect(reply!.userPrivateData?.cardParamMap.notice).toBe(w.toast.priority);
    expect(cards(raised).map((c) => [c.how, c.ref])).toEqual([["update", ref]]);
    expect(cards(raised)[0]!.card).toMatchObject({
      tags: [w.status.in_progress, w.priority.urgent],
      fields: expect.objectContaining({ [w.f.priority]: w.priority.urgent, [w.f.handler]: "张三" }),
      timeline: [`王主管 ${w.ev.priority}：${w.priority.high} → ${w.priority.urgent}`, `张三 ${w.ev.progress}：已定位到认证服务超时`, `张三 ${w.ev.claimed}`],
      select: `${w.select}: ${w.priority.urgent}`,
    });
    expect(texts(raised)).toEqual([]);

    // 5. Resolve through the second form: 待确认, the result shown; the reporter is asked to confirm, with an @.
    card = await ticketCardOf(rig, t.id);
    const resolved = await during(async () => (reply = await rig.click(formSubmit(card, "resolve", { result: "已发布 v3.2.1 修复" }, who.zhang))));
    expect(reply!.userPrivateData?.cardParamMap.notice).toBe(w.toast.resolve);
    const r5 = cards(resolved);
    expect(r5.map((c) => [c.how, c.ref])).toEqual([["update", ref]]);
    expect(r5[0]!.card).toMatchObject({
      subtitle: `${w.status.resolved}${w.subtitleTail}`,
      tags: [w.status.resolved, w.priority.urgent],
      content: expect.stringContaining("已发布 v3.2.1 修复"),
      timeline: [`张三 ${w.ev.resolved}：已发布 v3.2.1 修复`, `王主管 ${w.ev.priority}：${w.priority.high} → ${w.priority.urgent}`, `张三 ${w.ev.progress}：已定位到认证服务超时`],
      buttons: [],
      forms: w.forms.resolved,
    });
    expect(texts(resolved)).toEqual([[group, `${w.resolvedNotice(n)} @${reporterName}`, [who.reporter.id]]]);

    // 6. The reporter confirms with ★5 and the customer's words: closed, the stars in words, told with an @.
    card = await ticketCardOf(rig, t.id);
    const confirmed = await during(async () => (reply = await rig.click(formSubmit(card, "confirm", { score: "5", comment: "客户确认已恢复" }, who.reporter))));
    expect(reply!.userPrivateData?.cardParamMap.notice).toBe(w.toast.confirm);
    const r6 = cards(confirmed);
    expect(r6.map((c) => [c.how, c.ref])).toEqual([["update", ref]]);
    expect(r6[0]!.card).toMatchObject({
      subtitle: `${w.status.closed}${w.subtitleTail}`,
      tags: [w.status.closed, w.priority.urgent],
      fields: expect.objectContaining({ [w.f.satisfaction]: w.stars, [w.f.handler]: "张三", [w.f.reporter]: reporterName }),
      timeline: [`${reporterName} ${w.ev.confirmed}：${w.stars} · 客户确认已恢复`, `张三 ${w.ev.resolved}：已发布 v3.2.1 修复`, `王主管 ${w.ev.priority}：${w.priority.high} → ${w.priority.urgent}`],
      buttons: [],
      forms: w.forms.closed,
      select: "",
    });
    expect(texts(confirmed)).toEqual([[group, `${w.statusNotice(n, w.status.closed)} @${reporterName}`, [who.reporter.id]]]);
    expect(await rig.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: "closed", satisfaction: 5 });
  });
});
