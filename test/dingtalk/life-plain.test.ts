// DingTalk without a card template (robot markdown mode), end to end in both modes (HTTP robot callbacks
// and Stream): the real server, text commands @ the bot, and the text of every message the fake
// DingTalk received — the ticket posted again after every change with the commands that now apply,
// the answer to every command, the notices and whom they @, and the conversation each went to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver.js";
import { allEvents } from "../../src/store/tickets.js";
import { robotP2PText } from "../support/dingtalk-events.js";
import { DT, who, type DingTalkMode, type DingTalkRig, type Person, startDingTalkRig } from "../support/dingtalk-rig.js";
import { commandsOffered, during, personOf, receivedSince, say, sessionFor, shortTexts, ticketFrom, ticketPost } from "../support/dingtalk-plain.js";

/** [via, text, @s], in a stable order (messages to different targets go out in parallel). */
const byText = (got: { via: string; text: string; at: string[] }[]) => got.map((r) => [r.via, r.text, r.at]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));

describe.each<DingTalkMode>(["http", "stream"])("DingTalk without a card template (%s mode)", (mode) => {
  let rig: DingTalkRig;
  beforeAll(async () => {
    rig = await startDingTalkRig(mode, { config: { dingtalk: {} } });
  });
  afterAll(() => rig.close());

  it("create → /claim → /progress → /resolve → /confirm: every change posts the ticket, every command is answered", async () => {
    const group = `cid_plain_${mode}==`;
    // 1. The reporter @s the bot with the customer's words.
    const created = await during(rig, () => say(rig, group, who.reporter, "客户反馈：系统报错无法登录，部分功能受影响"));
    const t = await ticketFrom(rig, group);
    const handler = personOf[t.handlerId!]!;
    const n = t.number;
    expect(created.every((r) => r.to === group)).toBe(true);
    const first = ticketPost(created, n);
    expect(first.text).toContain("待处理");
    expect(commandsOffered(first)).toEqual(expect.arrayContaining([`/claim ${n}`, `/reject ${n} <原因>`]));
    // The handler is @-mentioned through the session webhook (the robot message API cannot @).
    expect(shortTexts(created).map((r) => [r.via, r.text, r.at])).toEqual([["session", `工单 ${n} 已分派给你，请及时处理。 @${handler.id}`, [handler.id]]]);

    // 2. The handler claims by command: the ticket is posted again (处理中), the claimer hears it worked.
    const claimed = await during(rig, () => say(rig, group, handler, `/claim ${n}`));
    expect(claimed.every((r) => r.to === group)).toBe(true);
    const second = ticketPost(claimed, n);
    expect(second.text).toContain("处理中");
    expect(second.text).toContain(handler.nick);
    const afterClaim = commandsOffered(second);
    expect(afterClaim).toEqual(expect.arrayContaining([`/progress ${n} <处理进展>`, `/resolve ${n} <处理结果>`]));
    expect(afterClaim.some((c) => c.startsWith("/claim"))).toBe(false);
    // The reporter's notice @s them through the conversation's newest session webhook (the claim's).
    expect(byText(shortTexts(claimed))).toEqual([
      ["session", `你提报的工单 ${n} 状态更新为「处理中」。 @${who.reporter.id}`, [who.reporter.id]],
      ["session", `工单 ${n}：认领成功。`, []],
    ]);

    // 3. Progress: posted again with the progress in its latest activity, and answered.
    const progressed = await during(rig, () => say(rig, group, handler, `/progress ${n} 已定位到认证服务超时`));
    expect(ticketPost(progressed, n).text).toContain("已定位到认证服务超时");
    expect(byText(shortTexts(progressed))).toEqual([["session", `已记录到工单 ${n}。`, []]]);

    // 4. Resolve: 待确认, now offering confirm and reopen; the reporter is asked to confirm.
    const resolved = await during(rig, () => say(rig, group, handler, `/resolve ${n} 已发布 v3.2.1 修复`));
    const third = ticketPost(resolved, n);
    expect(third.text).toContain("待确认");
    expect(third.text).toContain("已发布 v3.2.1 修复");
    expect(commandsOffered(third)).toEqual(expect.arrayContaining([`/confirm ${n} <5|4|3|2|1> <客户反馈>`, `/reopen ${n} <原因>`]));
    expect(commandsOffered(third).some((c) => c.startsWith("/resolve"))).toBe(false);
    expect(byText(shortTexts(resolved))).toEqual([
      ["session", `工单 ${n} 已解决，请与客户确认结果并记录满意度。 @${who.reporter.id}`, [who.reporter.id]],
      ["session", `工单 ${n}：标记已解决成功。`, []],
    ]);

    // 5. The reporter confirms with a rating: 已关闭.
    const confirmed = await during(rig, () => say(rig, group, who.reporter, `/confirm ${n} 5 客户确认已恢复`));
    const last = ticketPost(confirmed, n);
    expect(last.text).toContain("已关闭");
    expect(last.text).toContain("非常满意");
    expect(commandsOffered(last).some((c) => c.startsWith("/confirm") || c.startsWith("/resolve"))).toBe(false);
    expect(byText(shortTexts(confirmed))).toEqual([
      ["session", `你提报的工单 ${n} 状态更新为「已关闭」。 @${who.reporter.id}`, [who.reporter.id]],
      ["session", `工单 ${n}：确认解决成功。`, []],
    ]);

    const events = await allEvents(rig.server.db, t.id);
    expect(events.map((e) => [e.kind, e.source])).toEqual([["created", "message"], ["claimed", "command"], ["progress", "command"], ["resolved", "command"], ["confirmed", "command"]]);
    const outbox = await rig.server.db.outboundMessage.findMany({ where: { ticketId: t.id } });
    expect(outbox.filter((o) => o.status !== "sent" && o.status !== "superseded")).toEqual([]);
  });

  it("a refused command and an unknown ticket are answered, and nothing is posted", async () => {
    const group = `cid_plain_refused_${mode}==`;
    await say(rig, group, who.reporter, "客户反馈：导出报表时报错 502");
    const t = await ticketFrom(rig, group);
    const n = t.number;

    const refused = await during(rig, () => say(rig, group, who.stranger, `/claim ${n}`));
    expect(refused.map((r) => [r.to, r.text])).toEqual([[group, expect.stringMatching(/^你没有权限认领（需要：.+）$/)]]);

    const early = await during(rig, () => say(rig, group, personOf[t.handlerId!]!, `/confirm ${n} 5`));
    expect(early.map((r) => [r.to, r.text])).toEqual([[group, expect.stringMatching(/不能确认解决/)]]);

    const missing = await during(rig, () => say(rig, group, personOf[t.handlerId!]!, "/claim FB19990101001"));
    expect(missing.map((r) => [r.to, r.text])).toEqual([[group, "未找到工单 FB19990101001"]]);

    expect(await rig.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: "open", version: 1 });
  });
});

describe.each<DingTalkMode>(["http", "stream"])("DingTalk @mentions once the session webhook has expired (%s mode)", (mode) => {
  let rig: DingTalkRig;
  let now = Date.now();
  beforeAll(async () => {
    rig = await startDingTalkRig(mode, { config: { dingtalk: {} }, now: () => new Date(now) });
  });
  afterAll(() => rig.close());

  /** A message stamped with the bot's clock, with a session webhook valid for DingTalk's ~90 minutes. */
  const fresh = (conversation: string) => ({ createAt: now, sessionWebhookExpiredTime: now + 5_400_000, sessionWebhook: sessionFor(rig.fake, conversation) });
  const inGroup = (group: string, from: Person, text: string) => rig.robot(rig.message(text, from, { conversationId: group, ...fresh(group) }));
  /** The handler writes to the bot 1:1 (the group's own webhook is not renewed by that). */
  const direct = (from: Person, text: string) =>
    rig.robot(robotP2PText({ text, senderStaffId: from.id, senderNick: from.nick, robotCode: DT.robotCode, conversationId: `cid_p2p_${from.id}==`, ...fresh(`user:${from.id}`) }));

  it("the reporter's notice goes to the group without @ and to the reporter 1:1; a failing webhook is retried, not dropped", async () => {
    const group = `cid_expired_${mode}==`;
    await inGroup(group, who.reporter, "客户反馈：系统报错，支付回调失败");
    const t = await ticketFrom(rig, group);
    const handler = personOf[t.handlerId!]!;
    const n = t.number;

    // Two hours later the group's webhook has expired; the handler claims from a 1:1 chat with the bot.
    now += 2 * 3_600_000;
    const claimed = await during(rig, () => direct(handler, `/claim ${n}`));
    const notice = `你提报的工单 ${n} 状态更新为「处理中」。`;
    expect(byText(shortTexts(claimed).map((r) => ({ ...r, via: `${r.via}:${r.to}` })))).toEqual([
      // The group still reads the notice, but DingTalk's robot message API cannot @ …
      [`group:${group}`, notice, []],
      // … so the reporter gets it from the bot 1:1, which notifies them personally.
      [`user:${who.reporter.id}`, notice, []],
      [`session:user:${handler.id}`, `工单 ${n}：认领成功。`, []],
    ]);
    const post = ticketPost(claimed, n);
    expect([post.via, post.to]).toEqual(["group", group]);
    expect(post.text).toContain("处理中");

    // The reporter writes in the group again: a new webhook, so the next notice @s them there — and when
    // that webhook fails, the outbox retries it later instead of dropping it.
    await inGroup(group, who.reporter, `#${n} 客户补充：只在 iOS 上出现`);
    rig.fake.failNext(1, { status: 503 }, "/robot/sendBySession");
    const resolved = await during(rig, () => direct(handler, `/resolve ${n} 已修复回调签名`));
    const ask = `工单 ${n} 已解决，请与客户确认结果并记录满意度。 @${who.reporter.id}`;
    const failed = await rig.server.db.outboundMessage.findMany({ where: { status: "pending", ticketId: t.id } });
    expect(failed.map((r) => [r.kind, r.attempts, r.lastError])).toEqual([["send_text", 1, expect.stringMatching(/HTTP 503/)]]);
    now += 5_000;
    const from = rig.fake.calls.length;
    expect(await deliverDue(rig.server.ctx)).toMatchObject({ sent: 1, dead: 0 });
    const retried = receivedSince(rig.fake, from);
    const all = [...resolved, ...retried].filter((r) => r.text.includes("已解决，请与客户确认"));
    expect(all.map((r) => [r.via, r.to, r.text, r.at])).toEqual([["session", group, ask, [who.reporter.id]]]);
    expect(await rig.server.db.outboundMessage.count({ where: { ticketId: t.id, status: { notIn: ["sent", "superseded"] } } })).toBe(0);
  });
});
