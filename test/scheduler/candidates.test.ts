// The scheduler's candidate queries read only what can be due now: a quiet ticket whose nudge at its
// current level is claimed is left out in SQL (until the next level comes), working-clock nudges are
// not read at night, and the deadline queries range-scan their (status, deadline) index.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import type { Actor } from "../../src/core/types.js";
import { nudgeLevels, quietHorizons, deadlineHorizons } from "../../src/scheduler/stages.js";
import { tick } from "../../src/scheduler/tick.js";
import { deadlineCandidates, oldestQuiet, quietCandidates } from "../../src/store/due.js";
import { sqlTime } from "../../src/store/reports.js";
import type { TestServer } from "../support/server.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { clock, newTicket, startRig, type Clock } from "./support.js";

const zhang: Actor = { platform: "dingtalk", userId: "dt_zhang", name: "张三" };

let fake: FakeDingTalk;
beforeAll(async () => {
  fake = await startFakeDingTalk();
});
afterAll(() => fake.close());

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

describe("scheduler candidates", () => {
  it("leaves out a quiet ticket already nudged at its current level, and reads it again when the next level comes", async () => {
    c = clock("2025-10-20 10:00"); // Monday
    s = await startRig({ clock: c, dingtalk: fake });
    const t = await newTicket(s, "数据同步失败", { priority: "low", platform: "dingtalk" });
    await performAction(s.ctx, t.number, "claim", zhang);
    const candidates = async (withLevels = true) => {
      const now = c.now;
      const h = quietHorizons(s.ctx.config, s.ctx.calendar, now);
      const levels = withLevels ? nudgeLevels(s.ctx.config, s.ctx.calendar, now, h, await oldestQuiet(s.ctx.db)) : undefined;
      return (await quietCandidates(s.ctx.db, h, levels)).map((r) => r.id);
    };

    c.set("2025-10-21 10:00"); // one working day quiet: level 1 due, not claimed yet
    expect(await candidates()).toEqual([t.id]);
    expect((await tick(s.ctx, c.now)).nudges).toBe(1);
    await s.idle();
    expect(await candidates()).toEqual([]); // claimed: nothing to read

    c.set("2025-10-21 15:00");
    expect(await candidates()).toEqual([]);
    expect(await candidates(false)).toEqual([t.id]); // what the claim check in SQL leaves out

    c.set("2025-10-22 10:00"); // level 2 has come
    expect(await candidates()).toEqual([t.id]);
    expect((await tick(s.ctx, c.now)).nudges).toBe(1);
    await s.idle();
    expect(await candidates()).toEqual([]);
  });

  it("does not read working-clock nudges at night or on a holiday, but does within the grace after a period ends", async () => {
    c = clock("2025-09-29 10:00");
    s = await startRig({ clock: c });
    const cfg = s.ctx.config;
    const cal = s.ctx.calendar;
    const at = (local: string) => Object.keys(quietHorizons(cfg, cal, c.set(local))).sort();
    expect(at("2025-09-30 11:00")).toEqual(["high", "low", "medium", "urgent"]);
    expect(at("2025-10-01 03:00")).toEqual(["urgent"]); // National Day, 3 a.m.: only the calendar clock
    expect(at("2025-10-03 10:00")).toEqual(["urgent"]); // a holiday's daytime
    expect(at("2025-09-30 18:10")).toEqual(["high", "low", "medium", "urgent"]); // 10 minutes after the day's end
    expect(at("2025-09-30 18:30")).toEqual(["urgent"]);
  });

  it("finds deadlines through the (status, deadline) index, without a sort of the whole status", async () => {
    c = clock("2025-09-30 10:00");
    s = await startRig({ clock: c });
    const t = await newTicket(s, "登录报错", { priority: "high" });
    c.set("2025-09-30 14:10"); // due 15:00 (4 working hours, lunch excluded): its 1h-before reminder has come
    const h = deadlineHorizons(s.ctx.config, s.ctx.calendar, "response", c.now);
    expect((await deadlineCandidates(s.ctx.db, "response", h)).map((r) => [r.id, r.responseDueAt.getTime()])).toEqual([[t.id, t.responseDueAt.getTime()]]);
    const latest = sqlTime(new Date(Math.max(...Object.values(h).map((d) => d!.getTime()))));
    const plan = await s.ctx.db.$queryRawUnsafe<{ detail: string }[]>(
      `EXPLAIN QUERY PLAN SELECT t.id FROM "Ticket" t WHERE t.status IN ('open','in_progress') AND t.firstResponseAt IS NULL AND t.responseDueAt <= ? AND ((t.priority = ? AND t.responseDueAt <= ?) OR (t.priority = ? AND t.responseDueAt <= ?)) ORDER BY t.responseDueAt, t.id LIMIT 10`,
      latest, "high", latest, "low", latest,
    );
    expect(plan.map((p) => p.detail).join(" | ")).toContain("Ticket_status_responseDueAt_idx (status=? AND responseDueAt<?)");
  });
});
