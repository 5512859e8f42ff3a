// Issue 12 in the scheduler: people outside the workflow file are shown by their cached platform name
// (PersonName) in every follow-up — the reminder and the escalation cards (handler, reporter, timeline,
// banner), the blocked notice ("<who> 于 … 标记受阻"), the @ in the group copies — and in the daily brief.
// The real server (SQLite, fake clock) and the real Feishu sender against the fake Feishu.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import type { Actor } from "../../src/core/types.js";
import { tick } from "../../src/scheduler/tick.js";
import { saveName } from "../../src/store/person-names.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import type { TestServer } from "../support/server.js";
import { feishuCardTexts } from "../support/visible-text.js";
import { clock, feishuSent, newTicket, reporter, startRig, titleOf, type Clock } from "./support.js";

const wang: Actor = { platform: "feishu", userId: "ou_lead_wang", name: "王主管" };
/** A colleague from another team, in no department of the workflow file; Feishu events carry no name. */
const outsider: Actor = { platform: "feishu", userId: "ou_outsider" };
const NAMES: Record<string, string> = { ou_outsider: "外援老周", ou_reporter_1: "刘晓红", ou_lead_wang: "王主管", ou_handler_zhang: "张三" };

let fake: FakeFeishuServer;
let s: TestServer;
let c: Clock;
beforeAll(async () => {
  fake = await startFakeFeishu();
  c = clock("2025-10-09 10:00"); // Thursday, a working day
  s = await startRig({ clock: c, feishu: fake, config: { schedule: { dailyDigest: "0 9 * * *", weeklyDigest: "off", monthlyDigest: "off" } } });
  // The cache as the processing after an ack leaves it (contact API): the reporter under their real
  // name (the event said 客服小刘), the outsider by the only name there is.
  for (const [userId, name] of [["ou_reporter_1", "刘晓红"], ["ou_outsider", "外援老周"]] as const) {
    await saveName(s.db, { platform: "feishu", userId, name, source: "api", fetchedAt: c.now });
  }
});
afterAll(async () => {
  await s.close();
  await fake.close();
});

/** Tick at a Shanghai time; what went out, each as [to, title, the card's visible text]. */
async function tickAt(local: string) {
  const before = feishuSent(fake).length;
  const summary = await tick(s.ctx, c.set(local));
  await s.idle();
  const sent = feishuSent(fake).slice(before).map((m) => ({ to: m.to, title: titleOf(m.card), text: feishuCardTexts(m.card!, (id) => NAMES[id]).join("\n") }));
  return { summary, sent };
}

describe("follow-ups name people outside the workflow file from the cache", () => {
  let number = "";

  it("the reminder: 处理人 / 提报人 / timeline by cached name, the group copy @s the outsider by name", async () => {
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "high", messageId: "om_src_names", reporter });
    number = t.number;
    // The lead hands it to the outsider (stored as "feishu:ou_outsider").
    await performAction(s.ctx, number, "reassign", wang, { target: outsider.userId }, "command");
    expect((await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).handlerId).toBe("feishu:ou_outsider");

    // High priority: respond within 4 working hours (15:00, after the lunch break); the reminder an hour before.
    const r = await tickAt("2025-10-09 14:00");
    expect(r.summary).toMatchObject({ reminders: 1, errors: [] });
    // (The first tick of the day also sends the lead today's brief; read below.)
    const reminders = r.sent.filter((m) => m.title.startsWith("响应提醒"));
    expect(reminders.map((m) => m.to).sort()).toEqual(["oc_tech", "reply:om_src_names", "user:ou_outsider"]);
    for (const m of reminders) {
      expect(m.title).toBe(`响应提醒 · ${number}`);
      expect(m.text).toContain("处理人\n外援老周");
      expect(m.text).toContain("提报人\n刘晓红");
      expect(m.text).toContain("王主管 改派：张三 → 外援老周");
      expect(m.text).not.toMatch(/ou_[a-z]|客服小刘|feishu:/);
    }
    expect(reminders.find((m) => m.to === "oc_tech")!.text).toContain("@外援老周");
  });

  it("the escalation at the breach: the banner names the lead, the card the outsider", async () => {
    const r = await tickAt("2025-10-09 15:00");
    expect(r.summary).toMatchObject({ escalations: 1, errors: [] });
    const direct = r.sent.filter((m) => m.to.startsWith("user:")).map((m) => m.to).sort();
    expect(direct).toEqual(["user:ou_lead_wang", "user:ou_outsider"]);
    for (const m of r.sent) {
      expect(m.title).toBe(`响应已超时 · ${number}`);
      expect(m.text).toContain("升级至 王主管");
      expect(m.text).toContain("处理人\n外援老周");
      expect(m.text).not.toMatch(/ou_[a-z]|feishu:/);
    }
  });

  it("the lead's daily brief lists the overdue ticket under the outsider's name", async () => {
    const r = await tickAt("2025-10-10 09:00");
    const brief = r.sent.filter((m) => m.to === "user:ou_lead_wang");
    expect(brief).toHaveLength(1);
    expect(brief[0]!.text).toMatch(new RegExp(`${number}[^\\n]*外援老周`));
    expect(brief[0]!.text).not.toMatch(/ou_outsider|feishu:/);
  });

  it("the blocked notice says who blocked it by name (the event carried none)", async () => {
    c.set("2025-10-10 10:00");
    await performAction(s.ctx, number, "claim", outsider, {}, "command");
    const before = feishuSent(fake).length;
    await performAction(s.ctx, number, "block", outsider, { text: "等待数据库团队扩容" }, "command");
    await s.idle();
    const sent = feishuSent(fake).slice(before).filter((m) => /受阻/.test(titleOf(m.card)));
    expect(sent.map((m) => m.to)).toEqual(["user:ou_lead_wang"]);
    const text = feishuCardTexts(sent[0]!.card!, (id) => NAMES[id]).join("\n");
    expect(text).toContain("外援老周 于 10-10 10:00 标记受阻：等待数据库团队扩容。已通知 王主管");
    expect(text).toContain("受阻：等待数据库团队扩容（外援老周，10-10 10:00 起）");
    expect(text).not.toMatch(/ou_[a-z]|feishu:/);
  });
});
