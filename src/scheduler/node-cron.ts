// Node only (never imported by the Worker): node-cron runs tick on the configured expressions in the
// calendar's time zone. The digest expressions get their own jobs so a coarse tick expression still
// sends digests on time; tick itself decides what is due, so extra runs are harmless.
import cron, { type ScheduledTask } from "node-cron";
import type { AppContext } from "../app/context.js";
import type { ScheduleConfig } from "../config/schema.js";
import { tick, type TickSummary } from "./tick.js";

export interface NodeScheduler {
  /** Run a tick now (also what every job does); overlapping calls share the running one. */
  runNow(): Promise<TickSummary>;
  /** Stop the jobs and wait for a running tick. */
  stop(): Promise<void>;
}

export function startNodeScheduler(ctx: AppContext, schedule: ScheduleConfig): NodeScheduler {
  let running: Promise<TickSummary> | undefined;
  const runNow = () => {
    running ??= tick(ctx, ctx.now()).finally(() => {
      running = undefined;
    });
    return running;
  };
  const expressions = [...new Set([schedule.tick, schedule.dailyDigest, schedule.weeklyDigest, schedule.monthlyDigest])].filter((e) => e !== "off");
  const tasks: ScheduledTask[] = expressions.map((expr) =>
    cron.schedule(
      expr,
      () =>
        runNow().catch((e: unknown) => {
          ctx.log.error("scheduler tick failed", { error: e, cron: expr });
        }),
      { timezone: ctx.config.calendar.timeZone, name: `chatdesk ${expr}`, noOverlap: true },
    ),
  );
  ctx.log.info("scheduler started", { cron: expressions, timeZone: ctx.config.calendar.timeZone });
  return {
    runNow,
    async stop() {
      for (const t of tasks) await t.destroy();
      await running?.catch(() => undefined);
    },
  };
}
