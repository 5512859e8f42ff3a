// The scheduler's horizons: per priority, how far back (or ahead) a candidate query has to read for a
// follow-up to be due now. The stage rules themselves live in src/core/follow-up.ts. Pure: the
// scheduler passes the calendar and now.
import type { WorkflowConfig } from "../config/schema.js";
import type { WorkCalendar } from "../core/calendar.js";
import { WORKING_GRACE_MS } from "../core/follow-up.js";
import { addPolicyDuration, durationMinutes, slaOf, subtractPolicyDuration, type SlaClock } from "../core/sla.js";
import type { Priority } from "../core/types.js";
import type { DeadlineKind, Horizons, NudgeLevels } from "../store/due.js";

export { clockOf, confirmStages, currentStage, deadlineStages, mayFireNow, nudgeStage, WORKING_GRACE_MS, type Stage, type StageName } from "../core/follow-up.js";

const PRIORITY_LIST: Priority[] = ["urgent", "high", "medium", "low"];
const MARGIN_MS = 60_000;
const shift = (d: Date, ms: number) => new Date(d.getTime() + ms);

/**
 * Per priority, the latest deadline for which some stage can be due now: a reminder "x before" the
 * deadline is due once now + x (in the policy clock) reaches the deadline. Fractions are taken of
 * the priority's configured window.
 */
export function deadlineHorizons(cfg: WorkflowConfig, cal: WorkCalendar, kind: DeadlineKind, now: Date): Horizons {
  const out: Horizons = {};
  for (const p of PRIORITY_LIST) {
    const target = slaOf(cfg.sla, p);
    const window = durationMinutes(kind === "response" ? target.response : target.resolution, target.clock, cal);
    const leads = cfg.reminders.before.map((b) => (typeof b === "number" ? (1 - b) * window : durationMinutes(b, target.clock, cal)));
    out[p] = shift(addPolicyDuration(cal, target.clock, now, Math.max(0, ...leads)), MARGIN_MS);
  }
  return out;
}

/**
 * Whether a working-clock stage reached by adding working time (a nudge: last progress + n windows)
 * may go out now. Such a moment lies in working time or at a period's end, so when the last
 * WORKING_GRACE_MS (and a minute) held no working time, none that has come may fire (mayFireNow).
 */
export const workingStagesMayFire = (cal: WorkCalendar, now: Date): boolean =>
  cal.isWorkingTime(now) || cal.workingMinutesBetween(new Date(now.getTime() - WORKING_GRACE_MS - 60_000), now) > 0;

/**
 * Per priority, the latest last-progress time for which a nudge can be due now. Working-clock
 * priorities are left out at night and on holidays (past the grace): their nudges wait unread, so an
 * idle tick does not walk every quiet ticket.
 */
export function quietHorizons(cfg: WorkflowConfig, cal: WorkCalendar, now: Date): Horizons {
  const out: Horizons = {};
  const working = workingStagesMayFire(cal, now);
  for (const p of PRIORITY_LIST) {
    const clock = slaOf(cfg.sla, p).clock;
    if (clock === "working" && !working) continue;
    out[p] = shift(subtractPolicyDuration(cal, clock, now, cfg.reminders.progressNudgeAfter), MARGIN_MS);
  }
  return out;
}

/** Nudge levels kept in the candidate query; a ticket quiet for longer is checked in the scheduler. */
const MAX_NUDGE_LEVELS = 1000;

/**
 * For the priorities in `horizons`, per clock: the latest last progress for which nudge k + 1 is due
 * now (now − (k + 1) windows), back to the oldest quiet ticket (see store/due.ts NudgeLevels).
 */
export function nudgeLevels(cfg: WorkflowConfig, cal: WorkCalendar, now: Date, horizons: Horizons, oldest: Date | undefined): NudgeLevels | undefined {
  if (!oldest) return undefined;
  const clocks: SlaClock[] = [];
  const groupOf: NudgeLevels["groupOf"] = {};
  for (const p of PRIORITY_LIST) {
    if (!horizons[p]) continue;
    const clock = slaOf(cfg.sla, p).clock;
    if (!clocks.includes(clock)) clocks.push(clock);
    groupOf[p] = clocks.indexOf(clock);
  }
  const at = clocks.map((clock) => {
    const window = durationMinutes(cfg.reminders.progressNudgeAfter, clock, cal);
    const out: Date[] = [];
    if (window <= 0) return out;
    // Walking back one window at a time: the same instants as now − k windows, without re-walking.
    for (let t = now; out.length < MAX_NUDGE_LEVELS && t >= oldest; ) {
      t = subtractPolicyDuration(cal, clock, t, window);
      out.push(t);
    }
    return out;
  });
  return { groupOf, at };
}

/** Per priority, the latest resolved time for which the confirmation reminder (or auto-close) can be due now. */
export function unconfirmedHorizons(cfg: WorkflowConfig, cal: WorkCalendar, now: Date): Horizons {
  const out: Horizons = {};
  const days = Math.max(1, cfg.reminders.autoCloseAfterDays - 1);
  for (const p of PRIORITY_LIST) {
    const clock = slaOf(cfg.sla, p).clock;
    out[p] = shift(subtractPolicyDuration(cal, clock, now, `${days}d`), MARGIN_MS);
  }
  return out;
}
