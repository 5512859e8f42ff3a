// The scheduler's one entry point, called by node-cron on Node and by the cron trigger on Workers:
// find what is due (indexed queries), claim it and put its messages in the outbox, then hand the new
// rows to the delivery loop. Safe to run concurrently and repeatedly: every action is claimed first.
import type { AppContext } from "../app/context.js";
import { calendarUpkeep, followCalendar } from "../app/calendar/upkeep.js";
import { deliverSoon } from "../app/deliver.js";
import { runCalendarWarning } from "./calendar-warning.js";
import { runAutoClose } from "./auto-close.js";
import { runBlocked } from "./blocked.js";
import { runDigests } from "./digests.js";
import { followPolicy, runFollowUpTimes } from "./follow-up-times.js";
import { runNudges } from "./nudges.js";
import { runDeadlines } from "./reminders.js";
import { runWaiting } from "./waiting.js";
import { newRun, type TickSummary } from "./run.js";

export type { TickSummary } from "./run.js";

export interface TickOptions {
  /** Ticket follow-ups to act on in this tick at most (default 300); the rest go on the next ticks. */
  maxActions?: number;
  /** How holiday feeds are fetched (default: the global fetch). */
  fetch?: typeof fetch;
}

export async function tick(ctx: AppContext, now: Date, opts: TickOptions = {}): Promise<TickSummary> {
  const run = newRun(ctx, now, opts.maxActions);
  const steps: [string, () => Promise<void>][] = [
    // The calendar any process changed since, and the deadlines it moved, before deciding what is due.
    ["calendar", async () => void (await followCalendar(run.ctx, now))],
    // Other SLA / reminder rules than the stored follow-up times were computed with (a restart, a deploy).
    ["follow-up rules", async () => void (await followPolicy(run.ctx, now))],
    ["response deadlines", () => runDeadlines(run, "response")],
    ["resolution deadlines", () => runDeadlines(run, "resolution")],
    ["progress nudges", () => runNudges(run)],
    ["blocked work", () => runBlocked(run)],
    ["waiting on the customer", () => runWaiting(run)],
    ["confirmation and auto-close", () => runAutoClose(run)],
    // After the steps above, so the times count the notices they just claimed.
    ["follow-up times", () => runFollowUpTimes(run)],
    ["digests", () => runDigests(run)],
    // Last, as a fetch may take seconds: holiday feeds once a day, and the managers' weekly warning.
    ["calendar feeds", async () => void (await calendarUpkeep(run.ctx, now, { fetch: opts.fetch }))],
    ["calendar warning", () => runCalendarWarning(run)],
  ];
  // One failing step (a bad row, a database hiccup) must not hold back the others.
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (e) {
      run.summary.errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      ctx.log.error("scheduler step failed", { step: name, error: e });
    }
  }
  if (run.enqueued.length) deliverSoon(run.ctx, run.enqueued);
  const s = run.summary;
  const acted = s.reminders + s.escalations + s.nudges + s.confirmReminders + s.autoClosed + s.digests + s.calendarWarnings;
  if (acted || s.errors.length) ctx.log.info("scheduler tick", { ...s });
  return s;
}
