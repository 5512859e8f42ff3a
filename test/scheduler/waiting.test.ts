// Waiting on the customer or a third party (待客户反馈 / 待第三方) end to end: the real server (SQLite
// file, fake clock), the real Feishu sender talking to the fake Feishu. While a ticket waits, no reminder,
// breach or nudge goes out however long it waits (here across National Day 2025); the reporter's reply in
// the card's thread resumes the clock and the deadlines move on by exactly the paused working time; a
// stretch longer than reminders.waitingRemindAfter reminds the reporter, once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { errorText } from "../../src/app/errors-to-text.js";
import { handleMessage } from "../../src/app/messages.js";
import { performAction } from "../../src/app/tickets/act.js";
import { currentTicketCard } from "../../src/app/views.js";
import { renderTemplateData } from "../../src/adapter/dingtalk/render-card.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import { ChatDeskError } from "../../src/core/errors.js";
import { activeMinutes } from "../../src/core/sla.js";
import type { Actor } from "../../src/core/types.js";
import { closedPauses } from "../../src/core/waiting.js";
import type { InboundMessage } from "../../src/platform/inbound.js";
import { tick } from "../../src/scheduler/tick.js";
import { periodFigures } from "../../src/app/figures.js";
import { waitingVsWorking } from "../../src/app/duty-figures.js";
import { periodDigestCard } from "../../cards/digest.js";
import type { TestServer } from "../support/server.js";
import { ticketTemplateViolations } from "../support/dingtalk-card-rules.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { cardText, clock, feishuSent, newTicket, reporter, sh, startRig, titleOf, type Clock } from "./support.js";

const zhang: Actor = { platform: "feishu", userId: "ou_handler_zhang", name: "张三" };
const li: Actor = { platform: "feishu", userId: "ou_handler_li", name: "李四" };
const wang: Actor = { platform: "feishu", userId: "ou_lead_wang", name: "王主管" };

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

async function tickAt(local: string) {
  const before = feishuSent(fake).length;
  const summary = await tick(s.ctx, c.set(local));
  await s.idle();
  return { summary, sent: feishuSent(fake).slice(before) };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof ChatDeskError ? e : undefined;
  }
  return "OK";
};

const msg = (text: string, id: string, from: Actor, rootId?: string): InboundMessage => ({
  kind: "message",
  dedupeId: id,
  platform: "feishu",
  messageId: id,
  chatId: "oc_group",
  chatType: "group",
  sender: { userId: from.userId, name: from.name },
  text,
  mentionedBot: !rootId,
  attachments: [],
  sentAt: c.now.toISOString(),
  ...(rootId ? { rootId } : {}),
});

const row = (id: number) => s.db.ticket.findUniqueOrThrow({ where: { id } });

describe("waiting on the customer (待客户反馈)", () => {
  beforeEach(async () => {
    c = clock("2025-09-29 10:00"); // Monday before National Day
    s = await startRig({ clock: c, feishu: fake });
  });

  it("who may pause and resume; a reason is required; pausing twice or resuming a running clock is refused", async () => {
    const t = await newTicket(s, "客户反馈导出报表一直转圈", { priority: "high" });
    expect(((await codeOf(performAction(s.ctx, t.number, "wait", reporter, { on: "customer", text: "等日志" }))) as ChatDeskError).code).toBe("FORBIDDEN");
    expect(((await codeOf(performAction(s.ctx, t.number, "wait", zhang, { on: "customer", text: " " }))) as ChatDeskError).code).toBe("INVALID_INPUT");
    expect(((await codeOf(performAction(s.ctx, t.number, "wait", zhang, { on: "boss", text: "等日志" }))) as ChatDeskError).code).toBe("INVALID_INPUT");
    // From open: telling the customer what is needed is the first response, and the handler takes it.
    const r = await performAction(s.ctx, t.number, "wait", zhang, { on: "customer", text: "已请客户提供日志" });
    expect(r.ticket).toMatchObject({ status: "in_progress", handlerId: "zhang", waitingOn: "customer", waitingReason: "已请客户提供日志", waitingBy: "张三" });
    expect(r.ticket.firstResponseAt?.toISOString()).toBe(sh("2025-09-29 10:00").toISOString());
    const again = (await codeOf(performAction(s.ctx, t.number, "wait", wang, { on: "third_party", text: "等供应商" }))) as ChatDeskError;
    expect(errorText(again, "zh-CN", "wait").text).toBe("工单已在暂停计时（等待反馈）");
    expect(errorText(again, "en", "wait").text).toBe("The ticket is already waiting (clock paused)");
    // Li handles the department but not this ticket.
    expect(((await codeOf(performAction(s.ctx, t.number, "resume", li))) as ChatDeskError).code).toBe("FORBIDDEN");
    expect(await codeOf(performAction(s.ctx, t.number, "resume", wang))).toBe("OK");
    const notWaiting = (await codeOf(performAction(s.ctx, t.number, "resume", wang))) as ChatDeskError;
    expect(errorText(notWaiting, "zh-CN", "resume").text).toBe("工单当前未暂停计时");
    const events = await s.db.ticketEvent.findMany({ where: { ticketId: t.id, kind: { in: ["waiting", "resumed"] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.actorName, JSON.parse(e.payload).text ?? JSON.parse(e.payload).on])).toEqual([
      ["waiting", "张三", "已请客户提供日志"],
      ["resumed", "王主管", "customer"],
    ]);
  });

  it("no reminder, breach or nudge while waiting across National Day; the reporter's reply resumes; deadlines move on by the paused time exactly", async () => {
    // High: 48 working hours → Tue 10-14 10:00 (9-30, 10-09, 10-10, 10-11 调休 Sat, 10-13, 10-14).
    const t = await newTicket(s, "客户反馈导出报表一直转圈", { priority: "high", messageId: "om_src_wait" });
    expect(t.resolutionDueAt.toISOString()).toBe(sh("2025-10-14 10:00").toISOString());
    await performAction(s.ctx, t.number, "claim", zhang);
    c.set("2025-09-29 11:00");
    await performAction(s.ctx, t.number, "wait", zhang, { on: "customer", text: "已请客户提供日志" });

    // The card says so, in both languages, on both platforms' renderings.
    c.set("2025-09-29 14:00");
    const waiting = await row(t.id);
    for (const locale of ["zh-CN", "en"] as const) {
      const card = await currentTicketCard(s.ctx, { ...waiting, locale });
      const feishu = renderFeishuCard(card);
      expect(checkFeishuCard(feishu)).toEqual([]);
      expect(cardText(feishu)).toContain(
        locale === "en"
          ? "⏸ **Waiting on the customer** · paused for 2 h: 已请客户提供日志 (张三, since 09-29 11:00; deadlines move on when resumed)"
          : "⏸ **待客户反馈** · 已暂停 2 小时：已请客户提供日志（张三，09-29 11:00 起；恢复后时限顺延）",
      );
      expect(card.header.tags?.map((x) => x.text)).toContain(locale === "en" ? "Waiting on the customer" : "待客户反馈");
      expect(JSON.stringify(feishu)).toContain(`"action":"resume","ticket":"${t.number}"`);
      expect(JSON.stringify(feishu)).not.toContain('"action":"wait"');
      expect(ticketTemplateViolations(renderTemplateData(card))).toEqual([]);
    }

    // Every tick while waiting: the nudge (due 9-30 11:00), the reminders and the breach (10-14 10:00) stay silent.
    for (const at of ["2025-09-30 11:30", "2025-10-09 10:00", "2025-10-13 17:00", "2025-10-14 10:30", "2025-10-14 10:50"]) {
      const r = await tickAt(at);
      expect(r.sent.filter((m) => !/等待反馈过久/.test(titleOf(m.card))), at).toEqual([]);
      expect(r.summary.escalations + r.summary.nudges).toBe(0);
    }
    expect((await row(t.id)).resolutionOverdue).toBe(false);

    // The reporter answers in the card's thread at 10-14 11:00: a note, and the clock runs again.
    c.set("2025-10-14 11:00");
    await handleMessage(s.ctx, msg("客户已提供日志，见附件", "om_reply_1", reporter, "om_src_wait"));
    await s.idle();
    const resumed = await row(t.id);
    expect(resumed).toMatchObject({ waitingSince: null, waitingOn: null, waitingReason: null, resolutionOverdue: false });
    expect(closedPauses(resumed)).toEqual([{ from: sh("2025-09-29 11:00"), to: sh("2025-10-14 11:00") }]);
    // 60 min worked before the pause, 2880 paused (6 working days): 47h left from 10-14 11:00 → 10-22 10:00.
    expect(resumed.resolutionDueAt.toISOString()).toBe(sh("2025-10-22 10:00").toISOString());
    expect(activeMinutes(s.ctx.calendar, "working", resumed.receivedAt, resumed.resolutionDueAt, closedPauses(resumed))).toBe(48 * 60);
    const note = await s.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, kind: "note" }, orderBy: { id: "desc" } });
    expect(JSON.parse(note.payload)).toMatchObject({ text: "客户已提供日志，见附件", resumed: true, pausedFrom: sh("2025-09-29 11:00").toISOString() });
    const card = renderFeishuCard(await currentTicketCard(s.ctx, resumed));
    expect(cardText(card)).toContain("累计暂停 48 小时（工作时间）");
    expect(JSON.stringify(card)).toContain(`"action":"wait","ticket":"${t.number}"`);

    // A priority change now applies medium's 72h to the same elapsed time.
    c.set("2025-10-14 14:00");
    const medium = (await performAction(s.ctx, t.number, "priority", wang, { priority: "medium" })).ticket;
    expect(activeMinutes(s.ctx.calendar, "working", medium.receivedAt, medium.resolutionDueAt, closedPauses(medium))).toBe(72 * 60);
    expect(medium.resolutionDueAt.toISOString()).toBe(sh("2025-10-27 10:00").toISOString());

    // The clocks run again: the breach of the moved deadline goes out when it comes.
    const breach = await tickAt("2025-10-27 10:30");
    expect(breach.summary.escalations).toBe(1);
    expect((await row(t.id)).resolutionOverdue).toBe(true);
  });

  it("a stretch longer than reminders.waitingRemindAfter reminds the reporter in the ticket's thread, once per stretch", async () => {
    const t = await newTicket(s, "客户反馈导出报表一直转圈", { priority: "high", messageId: "om_src_wait2" });
    await performAction(s.ctx, t.number, "claim", zhang);
    c.set("2025-09-29 11:00");
    // A command in the card's thread needs no ticket number.
    await handleMessage(s.ctx, msg("/wait third_party 等待供应商补丁", "om_cmd_w", zhang, "om_src_wait2"));
    await s.idle(); // the command's answer goes out now, not with the next tick
    expect(await row(t.id)).toMatchObject({ waitingOn: "third_party", waitingReason: "等待供应商补丁" });
    // 3 working days from 9-29 11:00 → 10-10 11:00 (9-30, 10-09, 10-10).
    expect((await tickAt("2025-10-10 10:50")).sent).toEqual([]);
    const due = await tickAt("2025-10-10 11:00");
    expect(due.sent.map((m) => m.to)).toEqual(["reply:om_src_wait2"]);
    const card = due.sent[0]!.card!;
    expect(checkFeishuCard(card)).toEqual([]);
    expect(titleOf(card)).toBe(`等待反馈过久 · ${t.number}`);
    expect(cardText(card)).toContain("工单待第三方已 24 小时（工作时间）（09-29 11:00 起：等待供应商补丁），请跟进客户；客户回复后在卡片话题里回复即可恢复计时。");
    expect(JSON.stringify(card)).toContain(reporter.userId);
    expect((await tickAt("2025-10-10 15:00")).sent).toEqual([]);
    // Resumed by command and waiting again: a new stretch, reminded again after its own 3 days.
    c.set("2025-10-13 10:00");
    await handleMessage(s.ctx, msg(`/resume ${t.number}`, "om_cmd_r", zhang));
    await handleMessage(s.ctx, msg(`/wait ${t.number} 客户 等客户确认方案`, "om_cmd_w2", zhang));
    await s.idle();
    expect(await row(t.id)).toMatchObject({ waitingOn: "customer", waitingReason: "等客户确认方案" });
    expect((await tickAt("2025-10-16 11:00")).sent.map((m) => titleOf(m.card))).toEqual([`等待反馈过久 · ${t.number}`]);
  });

  it("the digests count time waiting apart from time worked, and what waits now", async () => {
    const t = await newTicket(s, "客户反馈导出报表一直转圈", { priority: "high" });
    await performAction(s.ctx, t.number, "claim", zhang); // Mon 9-29 10:00
    c.set("2025-09-29 11:00");
    await performAction(s.ctx, t.number, "wait", zhang, { on: "customer", text: "已请客户提供日志" });
    c.set("2025-09-29 15:00"); // 11–12, 13–15: 3 working hours waited
    await performAction(s.ctx, t.number, "resume", zhang);
    c.set("2025-09-29 17:00");
    await performAction(s.ctx, t.number, "resolve", zhang, { text: "已修复" });
    const other = await newTicket(s, "客户反馈登录失败", { priority: "high" });
    await performAction(s.ctx, other.number, "claim", zhang);
    await performAction(s.ctx, other.number, "wait", zhang, { on: "third_party", text: "等供应商" });

    const w = await waitingVsWorking(s.ctx, sh("2025-09-29 00:00"), sh("2025-09-30 00:00"));
    expect(w).toEqual({ solved: 1, avgWaiting: 180, avgWorking: 180 }); // 10–11 and 15–17 worked
    const f = await periodFigures(s.ctx, "stats", { from: "2025-09-29", to: "2025-09-29", start: sh("2025-09-29 00:00"), end: sh("2025-09-30 00:00"), previous: { start: sh("2025-09-28 00:00"), end: sh("2025-09-29 00:00") } } as never, "zh-CN");
    expect(f.waiting).toEqual({ avgWaiting: 180, avgWorking: 180, waitingNow: 1 });
    const text = cardText(renderFeishuCard(periodDigestCard(f, { locale: "zh-CN", timeZone: "Asia/Shanghai" })));
    expect(text).toContain("**已解决工单 等待 / 处理用时（平均）**\n等待客户 3 小时 · 处理 3 小时\n等待客户/第三方中：1 单");
    const en = cardText(renderFeishuCard(periodDigestCard(f, { locale: "en", timeZone: "Asia/Shanghai" })));
    expect(en).toContain("waiting 3 h · worked 3 h");
  });
});
