// Progress nudges and the satisfaction follow-up on DingTalk (real DingTalk sender → fake DingTalk):
// a quiet in-progress ticket nudges its handler each working day; a resolved ticket asks its reporter
// to confirm one working day before it closes itself, then closes through the state machine, once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import type { Actor } from "../../src/core/types.js";
import { tick } from "../../src/scheduler/tick.js";
import type { TestServer } from "../support/server.js";
import { robotMessageViolations } from "../support/dingtalk-card-rules.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { clock, dingtalkSent, newTicket, sh, startRig, type Clock } from "./support.js";

const zhang: Actor = { platform: "dingtalk", userId: "dt_zhang", name: "张三" };

let fake: FakeDingTalk;
beforeAll(async () => {
  fake = await startFakeDingTalk();
});
afterAll(() => fake.close());

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

async function tickAt(local: string) {
  const before = dingtalkSent(fake).length;
  const summary = await tick(s.ctx, c.set(local));
  await s.idle();
  const sent = dingtalkSent(fake).slice(before);
  for (const m of sent) expect(robotMessageViolations(m)).toEqual([]);
  return { summary, sent };
}

describe("progress nudges (同步进展)", () => {
  it("nudges the handler directly after one quiet working day, again the next day, and restarts after progress", async () => {
    c = clock("2025-10-20 10:00"); // Monday
    s = await startRig({ clock: c, dingtalk: fake });
    const t = await newTicket(s, "数据同步失败", { priority: "low", platform: "dingtalk" });
    await performAction(s.ctx, t.number, "claim", zhang);

    expect((await tickAt("2025-10-21 09:59")).summary.nudges).toBe(0);
    const n1 = await tickAt("2025-10-21 10:00");
    expect(n1.summary.nudges).toBe(1);
    expect(n1.sent.map((m) => m.to)).toEqual(["user:dt_zhang"]); // directly; the groups only when the handler cannot be reached
    expect(n1.sent[0]!.msgParam.text).toContain(`#### 请同步进展 · ${t.number}`);
    expect(n1.sent[0]!.msgParam.text).toContain("已 8 小时（工作时间） 未更新进展");
    expect((await tickAt("2025-10-21 15:00")).summary.nudges).toBe(0);
    const n2 = await tickAt("2025-10-22 10:00");
    expect(n2.summary.nudges).toBe(1);
    expect(n2.sent[0]!.msgParam.text).toContain("已 16 小时（工作时间） 未更新进展");

    c.set("2025-10-22 11:00");
    await performAction(s.ctx, t.number, "progress", zhang, { text: "已定位，修复中" });
    expect((await tickAt("2025-10-23 10:00")).summary.nudges).toBe(0);
    expect((await tickAt("2025-10-23 11:00")).summary.nudges).toBe(1);
    const kinds = (await s.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } })).map((e) => e.kind);
    expect(kinds).toEqual(["created", "claimed", "nudge", "nudge", "progress", "nudge"]);
  });
});

describe("satisfaction follow-up and auto-close", () => {
  it("asks the reporter one working day before, closes after 3 working days without confirmation, tells the reporter once", async () => {
    c = clock("2025-10-20 10:00");
    s = await startRig({ clock: c, dingtalk: fake });
    const t = await newTicket(s, "发票怎么开具", { priority: "medium", category: "question", platform: "dingtalk" });
    await performAction(s.ctx, t.number, "claim", zhang);
    c.set("2025-10-23 12:00"); // Thursday, lunch break
    const resolved = await performAction(s.ctx, t.number, "resolve", zhang, { text: "已告知开票流程" });
    expect(resolved.ticket.status).toBe("resolved");

    // 2 working days after Thu 12:00 (Thu 13–18, Fri, Mon 09–12) = Mon 12:00; the Saturday in between is not one.
    expect((await tickAt("2025-10-25 12:00")).summary.confirmReminders).toBe(0);
    expect((await tickAt("2025-10-27 11:59")).summary.confirmReminders).toBe(0);
    const ask = await tickAt("2025-10-27 12:00");
    expect(ask.summary.confirmReminders).toBe(1);
    expect(ask.sent.map((m) => m.to)).toEqual(["group:cid_group"]);
    expect(ask.sent[0]!.msgParam.text).toContain(`#### 请确认处理结果 · ${t.number}`);
    expect(ask.sent[0]!.msgParam.text).toContain("**10-28 12:00** 前未确认将自动关闭");
    expect(ask.sent[0]!.msgParam.text).toContain("确认解决"); // the confirm form's command equivalent is on the card
    expect((await tickAt("2025-10-28 11:59")).summary).toMatchObject({ autoClosed: 0, confirmReminders: 0 });

    // Tue 12:00 = 3 working days: two ticks race, one closes.
    c.set("2025-10-28 12:00");
    const before = dingtalkSent(fake).length;
    const runs = await Promise.all([tick(s.ctx, c.now), tick(s.ctx, c.now)]);
    await s.idle();
    expect(runs[0]!.autoClosed + runs[1]!.autoClosed).toBe(1);
    const closed = await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(closed).toMatchObject({ status: "closed", version: resolved.ticket.version + 1 });
    expect(closed.closedAt?.toISOString()).toBe(sh("2025-10-28 12:00").toISOString());
    const ev = await s.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, kind: "closed" } });
    expect(ev).toMatchObject({ actorId: "system", source: "system", ticketVersion: closed.version });
    expect(JSON.parse(ev.payload)).toMatchObject({ from: "resolved", to: "closed", auto: true, afterDays: 3, reason: "3 天未确认，自动关闭" });
    const told = dingtalkSent(fake)
      .slice(before)
      .filter((m) => m.msgKey === "sampleText" && m.msgParam.content?.includes(t.number));
    // No session webhook of the group is known, so the group's copy cannot @ the reporter: they are told 1:1 too.
    const text = `工单 ${t.number} 已解决 3 天未确认，系统已自动关闭；如客户仍有问题，可重新打开。`;
    expect(told.map((m) => [m.to, m.msgParam.content]).sort()).toEqual([
      ["group:cid_group", text],
      ["user:dt_reporter_1", text],
    ]);

    // Closed: nothing more, and the reporter can still reopen it.
    expect((await tickAt("2025-10-29 12:00")).summary).toMatchObject({ autoClosed: 0, confirmReminders: 0, nudges: 0 });
    const reopened = await performAction(s.ctx, t.number, "reopen", { platform: "dingtalk", userId: "dt_reporter_1" }, { text: "客户说还是不行" });
    expect(reopened.ticket.status).toBe("in_progress");
  });

  it("a ticket confirmed in time is never auto-closed by the system", async () => {
    c = clock("2025-10-20 10:00");
    s = await startRig({ clock: c, dingtalk: fake });
    const t = await newTicket(s, "发票怎么开具", { priority: "medium", category: "question", platform: "dingtalk" });
    await performAction(s.ctx, t.number, "resolve", zhang, { text: "已处理" });
    c.set("2025-10-21 10:00");
    await performAction(s.ctx, t.number, "confirm", { platform: "dingtalk", userId: "dt_reporter_1" }, { score: 5 });
    await tickAt("2025-10-24 12:00");
    expect(await s.db.ticketEvent.count({ where: { ticketId: t.id, actorId: "system" } })).toBe(0);
    expect((await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).satisfaction).toBe(5);
  });
});
