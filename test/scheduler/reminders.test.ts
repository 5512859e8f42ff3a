// Reminders and escalations at the right working-time moments (fake clock, real SQLite, the real
// Feishu sender talking to the fake Feishu): across the 2025 National Day holiday (Oct 1–8 off) and
// the 调休 Saturday Oct 11 (a working day), and for a calendar-clock urgent ticket at 3 a.m. on a holiday.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tick } from "../../src/scheduler/tick.js";
import type { TestServer } from "../support/server.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { cardText, clock, feishuSent, newTicket, NO_DIGESTS, sh, startRig, titleOf, type Clock } from "./support.js";

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

/** Tick at a Shanghai wall-clock time, wait for deliveries, return the messages sent by that tick. */
async function tickAt(local: string) {
  const before = feishuSent(fake).length;
  const summary = await tick(s.ctx, c.set(local));
  await s.idle();
  return { summary, sent: feishuSent(fake).slice(before) };
}

describe("working-time reminders across a holiday (high priority: 4 working hours to respond)", () => {
  beforeEach(async () => {
    c = clock("2025-09-30 14:00"); // Tuesday, the last working day before the holiday
    s = await startRig({ clock: c, feishu: fake });
  });

  it("reminds at 17:00, holds the breach over the holiday (nothing at 3 a.m.), escalates on Oct 9 09:00 and 13:00", async () => {
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "high", messageId: "om_src_holiday" });
    expect(t.handlerId).toBe("zhang");
    expect(t.responseDueAt.toISOString()).toBe(sh("2025-09-30 18:00").toISOString());

    expect((await tickAt("2025-09-30 16:59")).sent).toEqual([]);

    // 75% of the window and "1h before" are both 17:00: one reminder, to the handler and the groups.
    const r1 = await tickAt("2025-09-30 17:00");
    expect(r1.summary).toMatchObject({ reminders: 1, escalations: 0, errors: [] });
    expect(r1.sent.map((m) => m.to).sort()).toEqual(["oc_tech", "reply:om_src_holiday", "user:ou_handler_zhang"]);
    for (const m of r1.sent) {
      expect(titleOf(m.card)).toBe(`响应提醒 · ${t.number}`);
      expect(checkFeishuCard(m.card)).toEqual([]);
      expect(cardText(m.card)).toContain("请在 **09-30 18:00** 前响应（还剩 1 小时（工作时间））");
    }
    // The ticket's buttons are on the reminder: claim, with the ticket's number and version.
    expect(JSON.stringify(r1.sent[0]!.card)).toContain(`"action":"claim","ticket":"${t.number}"`);
    // The group copies @mention the handler.
    expect(cardText(r1.sent.find((m) => m.to === "oc_tech")!.card)).toContain("<at id=ou_handler_zhang></at>");

    expect((await tickAt("2025-09-30 17:30")).sent).toEqual([]);

    // The server was down over the deadline; at 3 a.m. on National Day nothing goes out.
    const night = await tickAt("2025-10-01 03:00");
    expect(night.sent).toEqual([]);
    expect(night.summary.waiting).toBe(1);
    expect((await tickAt("2025-10-03 10:00")).sent).toEqual([]); // a holiday's daytime is not working time either
    expect((await tickAt("2025-10-09 08:59")).sent).toEqual([]);
    expect((await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).responseOverdue).toBe(false);

    // First working moment after the holiday: marked overdue, escalated to the lead.
    const breach = await tickAt("2025-10-09 09:00");
    expect(breach.summary).toMatchObject({ escalations: 1, reminders: 0 });
    expect(breach.sent.map((m) => m.to).sort()).toEqual(["oc_tech", "reply:om_src_holiday", "user:ou_handler_zhang", "user:ou_lead_wang"]);
    expect(titleOf(breach.sent[0]!.card)).toBe(`响应已超时 · ${t.number}`);
    expect(cardText(breach.sent[0]!.card)).toContain("响应时限 **09-30 18:00** 已过，工单已标记超时，升级至 王主管。");
    const group = breach.sent.find((m) => m.to === "oc_tech")!;
    expect(cardText(group.card)).toContain("<at id=ou_handler_zhang></at> <at id=ou_lead_wang></at>");
    const row = await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row).toMatchObject({ responseOverdue: true, resolutionOverdue: false, version: t.version });
    const events = await s.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["created", "reminder", "escalated"]);
    expect(JSON.parse(events[2]!.payload)).toMatchObject({ deadline: "response", level: 1, to: ["wang"] });

    // Second level after a further 4 working hours: 09:00 + 3h (to 12:00) + 1h after lunch = 14:00.
    expect((await tickAt("2025-10-09 13:59")).sent).toEqual([]);
    const second = await tickAt("2025-10-09 14:00");
    expect(second.summary).toMatchObject({ escalations: 1 });
    expect(second.sent.map((m) => m.to).sort()).toEqual(["oc_tech", "reply:om_src_holiday", "user:ou_manager_zhao"]);
    expect(titleOf(second.sent[0]!.card)).toBe(`响应超时 · 二级升级 · ${t.number}`);
    expect(cardText(second.sent[0]!.card)).toContain("响应已超时 4 小时（工作时间）（时限 09-30 18:00），二级升级至 赵总。");
    for (const m of second.sent) expect(checkFeishuCard(m.card)).toEqual([]);

    // Fully escalated: later ticks leave the response deadline alone.
    const later = await tickAt("2025-10-09 16:00");
    expect(later.sent.filter((m) => titleOf(m.card).startsWith("响应"))).toEqual([]);
  });

  it("the resolution deadline counts the 调休 Saturday as a working day", async () => {
    const t = await newTicket(s, "数据同步失败", { priority: "high" });
    // 48 working hours from Tue 14:00: 4 + Oct 9, 10, 11 (Sat, 调休), 13, 14 (8 each) + Oct 15 09–12, 13–14.
    expect(t.resolutionDueAt.toISOString()).toBe(sh("2025-10-15 14:00").toISOString());
    await s.db.ticket.update({ where: { id: t.id }, data: { firstResponseAt: sh("2025-09-30 14:30"), status: "in_progress", lastProgressAt: sh("2025-10-13 17:00") } });
    // 75% = 36 working hours: Tue 4 + Oct 9, 10, 11, 13 = 36 → Oct 13 18:00.
    expect((await tickAt("2025-10-13 17:59")).summary.reminders).toBe(0);
    const r = await tickAt("2025-10-13 18:00");
    expect(r.summary.reminders).toBe(1);
    expect(titleOf(r.sent[0]!.card)).toBe(`解决提醒 · ${t.number}`);
    expect(cardText(r.sent[0]!.card)).toContain("请在 **10-15 14:00** 前解决（还剩 12 小时（工作时间））");
    // 1h before: Oct 15 13:00 (the lunch break does not count).
    expect((await tickAt("2025-10-15 12:30")).summary.reminders).toBe(0);
    expect((await tickAt("2025-10-15 13:00")).summary.reminders).toBe(1);
  });
});

describe("a 调休 Saturday is a working day; an ordinary Saturday is not", () => {
  beforeEach(async () => {
    c = clock("2025-10-10 14:00"); // Friday
    s = await startRig({ clock: c, feishu: fake });
  });

  it("medium ticket (8 working hours): reminders Sat 11:00 and 13:00, breach Sat 14:00; nothing on the next Saturday", async () => {
    const t = await newTicket(s, "页面显示异常", { priority: "medium" });
    expect(t.responseDueAt.toISOString()).toBe(sh("2025-10-11 14:00").toISOString());
    expect((await tickAt("2025-10-10 18:00")).sent).toEqual([]);
    expect((await tickAt("2025-10-11 10:59")).summary.reminders).toBe(0);
    const a = await tickAt("2025-10-11 11:00"); // 75%: Fri 4h + Sat 2h
    expect(a.summary.reminders).toBe(1);
    expect(cardText(a.sent[0]!.card)).toContain("还剩 2 小时（工作时间）");
    const b = await tickAt("2025-10-11 13:00"); // 1h before, right after lunch
    expect(b.summary.reminders).toBe(1);
    expect(cardText(b.sent[0]!.card)).toContain("还剩 1 小时（工作时间）");
    const breach = await tickAt("2025-10-11 14:00");
    expect(breach.summary.escalations).toBe(1);
    expect((await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).responseOverdue).toBe(true);

    // A ticket on the next Friday afternoon waits for Monday: the ordinary Saturday sends nothing.
    c.set("2025-10-17 14:00");
    const u = await newTicket(s, "报表导出失败", { priority: "medium" });
    expect(u.responseDueAt.toISOString()).toBe(sh("2025-10-20 14:00").toISOString());
    const sat = await tickAt("2025-10-18 11:00");
    expect(sat.sent.filter((m) => titleOf(m.card).includes(u.number))).toEqual([]);
    const mon = await tickAt("2025-10-20 11:00");
    expect(mon.sent.filter((m) => titleOf(m.card) === `响应提醒 · ${u.number}`)).toHaveLength(3);
  });
});

describe("calendar-clock urgent tickets fire at any hour", () => {
  beforeEach(async () => {
    c = clock("2025-10-02 00:30"); // National Day holiday, after midnight
    s = await startRig({ clock: c, feishu: fake });
  });

  it("reminds at 01:30 and 02:00, escalates at 3 a.m. on the holiday, and rings the people with urgent_app", async () => {
    const t = await newTicket(s, "核心业务宕机，所有用户无法使用", { priority: "urgent" });
    expect(t.responseDueAt.toISOString()).toBe(sh("2025-10-02 02:30").toISOString());
    const urgentCalls = () => fake.calls.filter((x) => x.method === "PATCH" && x.path.endsWith("/urgent_app"));
    const before = urgentCalls().length;

    const r1 = await tickAt("2025-10-02 01:30"); // 1h before
    expect(r1.summary.reminders).toBe(1);
    expect(cardText(r1.sent[0]!.card)).toContain("还剩 1 小时）");
    const r2 = await tickAt("2025-10-02 02:00"); // 75% of 2h
    expect(r2.summary.reminders).toBe(1);
    const breach = await tickAt("2025-10-02 03:00");
    expect(breach.summary).toMatchObject({ escalations: 1, waiting: 0 });
    expect(breach.sent.map((m) => m.to)).toContain("user:ou_lead_wang");

    // Each direct card of the urgent ticket was rung: 2 reminders to the handler, the breach to handler + lead.
    const rung = urgentCalls().slice(before).map((x) => (x.body as { user_id_list: string[] }).user_id_list);
    expect(rung.sort()).toEqual([["ou_handler_zhang"], ["ou_handler_zhang"], ["ou_handler_zhang"], ["ou_lead_wang"]]);
    expect(urgentCalls().slice(before).every((x) => x.query.user_id_type === "open_id")).toBe(true);
  });
});

describe("unassigned tickets and priority changes", () => {
  beforeEach(async () => {
    c = clock("2025-10-13 09:00");
    s = await startRig({ clock: c, feishu: fake, config: { ...NO_DIGESTS, departments: [{ ...teamTech(), handlers: [] }, ...otherDepts()] } });
  });

  it("reminds the leads when nobody is assigned, and a new deadline (priority change) re-arms its reminders", async () => {
    const t = await newTicket(s, "接口报错", { priority: "high" });
    expect(t.handlerId).toBeNull();
    const r = await tickAt("2025-10-13 12:00"); // 75% of 4h: 09:00 + 3h
    expect(r.sent.map((m) => m.to).sort()).toEqual(["oc_group", "oc_tech", "user:ou_lead_wang"]);
    const breach = await tickAt("2025-10-13 14:00");
    expect(breach.summary.escalations).toBe(1);

    // Lowered to "low" (24 working hours): the flag is cleared and the new deadline gets its own reminders.
    const { performAction } = await import("../../src/app/tickets/act.js");
    await performAction(s.ctx, t.number, "priority", { platform: "feishu", userId: "ou_lead_wang", name: "王主管" }, { priority: "low" });
    const low = await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(low.responseOverdue).toBe(false);
    expect(low.responseDueAt.toISOString()).toBe(sh("2025-10-15 18:00").toISOString());
    // 75% of 24h = 18 working hours: Mon 9h…18h (8h) + Tue (8h) + Wed 09–11 = Oct 15 11:00.
    const again = await tickAt("2025-10-15 11:00");
    expect(again.summary.reminders).toBe(1);
    expect(titleOf(again.sent[0]!.card)).toBe(`响应提醒 · ${t.number}`);
  });
});

function teamTech() {
  return { id: "tech", name: "技术部", nameEn: "Tech Support", handlers: ["zhang", "li"], leads: ["wang"], managers: ["zhao"], chats: { feishu: "oc_tech", dingtalk: "cid_tech" } };
}
function otherDepts() {
  return [
    { id: "product", name: "产品部", handlers: ["li"], leads: ["wang"] },
    { id: "service", name: "客服部", handlers: ["zhang"], leads: ["wang"] },
    { id: "service_ops", name: "客服运营部", handlers: ["zhang"], leads: ["wang"] },
    { id: "service_lead", name: "客服部主管", handlers: ["wang"], leads: ["wang"] },
    { id: "supply_chain", name: "供应链部", handlers: ["li"], leads: ["wang"] },
    { id: "finance", name: "财务部", handlers: ["li"], leads: ["wang"] },
  ];
}

describe("a catch-up after downtime is spread over ticks", () => {
  beforeEach(async () => {
    c = clock("2025-10-15 09:00");
    s = await startRig({ clock: c, feishu: fake });
  });

  it("acts on at most maxActions follow-ups per tick, the longest overdue first, and the rest on the next ticks", async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) {
      c.set(`2025-10-15 ${String(9 + i).padStart(2, "0")}:00`);
      numbers.push((await newTicket(s, `接口报错 ${i}`, { priority: "high" })).number);
    }
    const escalated = async () =>
      (await s.db.ticketEvent.findMany({ where: { kind: "escalated" }, include: { ticket: true }, orderBy: { id: "asc" } })).map((e) => e.ticket.number);
    // Next day 16:00: every ticket's response is overdue (the second level too for the first ones).
    const first = await tick(s.ctx, c.set("2025-10-16 16:00"), { maxActions: 2 });
    expect(first).toMatchObject({ escalations: 2, postponed: 3 });
    expect(await escalated()).toEqual(numbers.slice(0, 2));
    const second = await tick(s.ctx, c.now, { maxActions: 2 });
    expect(second).toMatchObject({ escalations: 2, postponed: 1 });
    const third = await tick(s.ctx, c.now, { maxActions: 2 });
    expect(third).toMatchObject({ escalations: 1, postponed: 0 });
    expect(await escalated()).toEqual(numbers);
    await s.idle();
  });
});
