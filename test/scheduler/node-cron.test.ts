// node-cron drives the tick on Node: the server starts it from config.schedule (here every second, in
// node-cron's 6-field form) and stops it on close; a stopped scheduler runs no more ticks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeScheduler } from "../../src/scheduler/node-cron.js";
import type { TestServer } from "../support/server.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { clock, newTicket, NO_DIGESTS, startRig } from "./support.js";

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

async function until(cond: () => Promise<boolean> | boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("node-cron scheduler", () => {
  it("the server runs tick on config.schedule.tick and the reminder goes out without anyone calling tick", async () => {
    const c = clock("2025-10-15 10:00");
    const s: TestServer = await startRig({ clock: c, feishu: fake, scheduler: true, config: { schedule: { ...NO_DIGESTS.schedule, tick: "* * * * * *" } } });
    try {
      const started = s.logs.find((l) => l.msg === "scheduler started");
      expect(started).toMatchObject({ cron: ["* * * * * *"], timeZone: "Asia/Shanghai" });
      const t = await newTicket(s, "登录报错", { priority: "high" });
      c.set("2025-10-15 14:00"); // its reminder moment
      await until(async () => (await s.db.notice.count({ where: { ticketId: t.id, kind: "response.before" } })) === 1, "the reminder claim");
      await until(async () => (await s.db.outboundMessage.count({ where: { ticketId: t.id, status: "sent", kind: "send_card" } })) === 3, "the reminder deliveries");
    } finally {
      await s.close();
    }
  });

  it("stop() ends the jobs: no tick after it", async () => {
    const c = clock("2025-10-15 10:00");
    const s = await startRig({ clock: c, feishu: fake });
    try {
      let runs = 0;
      const ctx = {
        ...s.ctx,
        now: () => {
          runs++;
          return c.now;
        },
      };
      const sched = startNodeScheduler(ctx, { tick: "* * * * * *", dailyDigest: "off", weeklyDigest: "off", monthlyDigest: "off" });
      await until(() => runs >= 2, "two ticks");
      await sched.stop();
      const after = runs;
      await new Promise((r) => setTimeout(r, 1_500));
      expect(runs).toBe(after);
    } finally {
      await s.close();
    }
  });
});
