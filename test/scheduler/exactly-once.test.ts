// Exactly once: overlapping ticks, two server processes on one SQLite file, a restart, and a crash
// between the claim and the send never duplicate or lose a reminder, an escalation or a digest.
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver.js";
import { tick, type TickSummary } from "../../src/scheduler/tick.js";
import { teamConfig, type TestServer } from "../support/server.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { clock, feishuSent, newTicket, startRig, titleOf, type Clock } from "./support.js";

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

/** Follow-ups and digests sent since `from`, counted by card title and recipient. */
function tally(from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of feishuSent(fake).slice(from)) {
    const k = `${titleOf(m.card)} → ${m.to}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

// Monday 2025-10-20 09:00: the daily digest (to the lead), the weekly digest (to the managers' chat)
// and the breach of a ticket due last Friday 18:00 are all due at once.
const CONFIG = { ...teamConfig, schedule: { dailyDigest: "0 9 * * *", weeklyDigest: "0 9 * * 1", monthlyDigest: "off" } };
const MONDAY = "2025-10-20 09:00";

async function rig(c: Clock, dir?: string) {
  const s = await startRig({ clock: c, feishu: fake, config: CONFIG, dir });
  servers.push(s);
  return s;
}

async function seed(c: Clock, s: TestServer) {
  c.set("2025-10-17 14:00");
  const t = await newTicket(s, "登录报错", { priority: "high", messageId: "om_src_once" });
  c.set(MONDAY);
  return t;
}

const expected = (number: string) => ({
  [`响应已超时 · ${number} → user:ou_handler_zhang`]: 1,
  [`响应已超时 · ${number} → user:ou_lead_wang`]: 1,
  [`响应已超时 · ${number} → reply:om_src_once`]: 1,
  [`响应已超时 · ${number} → oc_tech`]: 1,
  ["每日工单简报 · 2025-10-20 → user:ou_lead_wang"]: 1,
  ["工单周报 · 2025-10-13 至 2025-10-19 → oc_managers"]: 1,
});

const total = (xs: TickSummary[], k: "escalations" | "digests" | "alreadyClaimed") => xs.reduce((a, x) => a + x[k], 0);

describe("exactly once", () => {
  it("three overlapping ticks on one server: one escalation, one digest each", async () => {
    const c = clock(MONDAY);
    const s = await rig(c);
    const t = await seed(c, s);
    const from = feishuSent(fake).length;
    const runs = await Promise.all([tick(s.ctx, c.now), tick(s.ctx, c.now), tick(s.ctx, c.now)]);
    await s.idle();
    expect(runs.flatMap((r) => r.errors)).toEqual([]);
    expect(total(runs, "escalations")).toBe(1);
    expect(total(runs, "digests")).toBe(2);
    expect(tally(from)).toEqual(expected(t.number));
    expect(await s.db.notice.count()).toBe(3);
    expect(await s.db.ticketEvent.count({ where: { ticketId: t.id, kind: "escalated" } })).toBe(1);
  });

  it("two server processes on the same database file tick at the same moment: each message once", async () => {
    const c = clock(MONDAY);
    const s = await rig(c);
    const t = await seed(c, s);
    const from = feishuSent(fake).length;
    const env = { FEISHU_APP_ID: "cli_sched", FEISHU_APP_SECRET: "sched-secret", FEISHU_DOMAIN: fake.url };
    const child = spawn(process.execPath, ["--import", "tsx", "test/scheduler/tick-process.ts", s.dir, c.now.toISOString(), JSON.stringify(CONFIG)], {
      env: { ...process.env, RIG_ENV: JSON.stringify(env) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    const deadline = Date.now() + 30_000;
    while (!out.includes("ready\n")) {
      if (Date.now() > deadline) throw new Error(`second process did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.stdin.write("go\n");
    const mine = await tick(s.ctx, c.now);
    await s.idle();
    expect(await exited).toBe(0);
    const theirs = JSON.parse(out.split("\n").filter(Boolean).at(-1)!) as TickSummary;
    expect(total([mine, theirs], "escalations")).toBe(1);
    expect(total([mine, theirs], "digests")).toBe(2);
    expect(tally(from)).toEqual(expected(t.number));
    expect(await s.db.outboundMessage.count({ where: { status: { not: "sent" }, ticketId: t.id, kind: "send_card" } })).toBe(0);
  });

  it("a crash after the messages were queued but before the claim: the next tick claims, queues nothing twice", async () => {
    const c = clock(MONDAY);
    const s = await rig(c);
    const t = await seed(c, s);
    const from = feishuSent(fake).length;
    await tick({ ...s.ctx, defer: () => {} }, c.now);
    const queued = await s.db.outboundMessage.count();
    // Undo what the claim step wrote: as if the process died between the two steps.
    await s.db.notice.deleteMany();
    await s.db.ticketEvent.deleteMany({ where: { kind: "escalated" } });
    const again = await tick(s.ctx, c.now);
    await s.idle();
    expect(again).toMatchObject({ escalations: 1, digests: 2 });
    expect(await s.db.outboundMessage.count()).toBe(queued);
    expect(await s.db.notice.count()).toBe(3);
    expect(await s.db.ticketEvent.count({ where: { ticketId: t.id, kind: "escalated" } })).toBe(1);
    await deliverDue(s.ctx);
    expect(tally(from)).toEqual(expected(t.number));
  });

  it("a crash between claim and send still sends, once; a restart and later ticks add nothing", async () => {
    const c = clock(MONDAY);
    const s = await rig(c);
    const t = await seed(c, s);
    const from = feishuSent(fake).length;
    // The process dies right after the claim batch committed: nothing was delivered.
    const crashed = await tick({ ...s.ctx, defer: () => {} }, c.now);
    expect(crashed).toMatchObject({ escalations: 1, digests: 2 });
    expect(feishuSent(fake).length).toBe(from);
    const pending = await s.db.outboundMessage.count({ where: { status: "pending" } });
    expect(pending).toBe(6);
    await s.close();
    servers.pop();

    // Restart on the same file: start-up drains the outbox; ticking again finds everything claimed.
    c.set("2025-10-20 09:01");
    const again = await rig(c, s.dir);
    await again.idle();
    expect(tally(from)).toEqual(expected(t.number));
    const after = await tick(again.ctx, c.now);
    await again.idle();
    expect(after).toMatchObject({ escalations: 0, digests: 0, reminders: 0 });
    expect(tally(from)).toEqual(expected(t.number));
  });
});
