// DingTalk without a card template (robot markdown mode), end to end in both modes (HTTP robot callbacks
// and Stream): the real server, text commands @ the bot, and the text of every message the fake
// DingTalk received — the ticket posted again after every change with the commands that now apply,
// the answer to every command, the notices and whom they @, and the conversation each went to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents } from "../../src/store/tickets.js";
import { who, type DingTalkMode, type DingTalkRig, startDingTalkRig } from "../support/dingtalk-rig.js";
import { commandsOffered, during, personOf, say, shortTexts, ticketFrom, ticketPost } from "../support/dingtalk-plain.js";

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
    expect(shortTexts(created).map((r) => [r.text, r.at])).toEqual([[`工单 ${n} 已分派给你，请及时处理。 @${handler.id}`, [handler.id]]]);

    // 2. The handler claims by command: the ticket is posted again (处理中), the claimer hears it worked.
    const claimed = await during(rig, () => say(rig, group, handler, `/claim ${n}`));
    expect(claimed.every((r) => r.to === group)).toBe(true);
    const second = ticketPost(claimed, n);
    expect(second.text).toContain("处理中");
    expect(second.text).toContain(handler.nick);
    const afterClaim = commandsOffered(second);
    expect(afterClaim).toEqual(expect.arrayContaining([`/progress ${n} <处理进展>`, `/resolve ${n} <处理结果>`]));
    expect(afterClaim.some((c) => c.startsWith("/claim"))).toBe(false);
    expect(shortTexts(claimed).map((r) => r.text).sort()).toEqual([`你提报的工单 ${n} 状态更新为「处理中」。`, `工单 ${n}：认领成功。`].sort());

    // 3. Progress: posted again with the progress in its latest activity, and answered.
    const progressed = await during(rig, () => say(rig, group, handler, `/progress ${n} 已定位到认证服务超时`));
    expect(ticketPost(progressed, n).text).toContain("已定位到认证服务超时");
    expect(shortTexts(progressed).map((r) => r.text)).toEqual([`已记录到工单 ${n}。`]);

    // 4. Resolve: 待确认, now offering confirm and reopen; the reporter is asked to confirm.
    const resolved = await during(rig, () => say(rig, group, handler, `/resolve ${n} 已发布 v3.2.1 修复`));
    const third = ticketPost(resolved, n);
    expect(third.text).toContain("待确认");
    expect(third.text).toContain("已发布 v3.2.1 修复");
    expect(commandsOffered(third)).toEqual(expect.arrayContaining([`/confirm ${n} <5|4|3|2|1> <客户反馈>`, `/reopen ${n} <原因>`]));
    expect(commandsOffered(third).some((c) => c.startsWith("/resolve"))).toBe(false);
    expect(shortTexts(resolved).map((r) => r.text).sort()).toEqual([`工单 ${n} 已解决，请与客户确认结果并记录满意度。`, `工单 ${n}：标记已解决成功。`].sort());

    // 5. The reporter confirms with a rating: 已关闭.
    const confirmed = await during(rig, () => say(rig, group, who.reporter, `/confirm ${n} 5 客户确认已恢复`));
    const last = ticketPost(confirmed, n);
    expect(last.text).toContain("已关闭");
    expect(last.text).toContain("非常满意");
    expect(commandsOffered(last).some((c) => c.startsWith("/confirm") || c.startsWith("/resolve"))).toBe(false);
    expect(shortTexts(confirmed).map((r) => r.text).sort()).toEqual([`你提报的工单 ${n} 状态更新为「已关闭」。`, `工单 ${n}：确认解决成功。`].sort());

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
