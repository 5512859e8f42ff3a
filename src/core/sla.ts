// SLA maths: policy durations ("30m", "4h", "7d") in a working or calendar clock, and due dates.
// Pure: the calendar and every instant are passed in.
import type { SlaClock, SlaPolicy, SlaTarget } from "./workflow.js";
import type { WorkCalendar } from "./calendar.js";
import { ChatDeskError } from "./errors.js";
import type { Priority } from "./types.js";

export type { SlaClock, SlaPolicy };
export type DurationUnit = "m" | "h" | "d";

const DURATION_RE = /^(\d+(?:\.\d+)?)(m|h|d)$/;
const MINUTE_MS = 60_000;

/** "30m" → { value: 30, unit: "m" }. Same grammar as durationSchema. */
export function parseDuration(s: string): { value: number; unit: DurationUnit } {
  const m = DURATION_RE.exec(s.trim());
  if (!m) throw new ChatDeskError("INVALID_INPUT", `expected a duration like 30m, 4h or 3d, got "${s}"`);
  return { value: Number(m[1]), unit: m[2] as DurationUnit };
}

/** Length of a duration in minutes of the given clock: "1d" is one working day (cal.dailyWorkingMinutes) or 1440. */
export function durationMinutes(s: string, clock: SlaClock, cal: WorkCalendar): number {
  const { value, unit } = parseDuration(s);
  switch (unit) {
    case "m":
      return value;
    case "h":
      return value * 60;
    case "d":
      return value * (clock === "working" ? cal.dailyWorkingMinutes : 1440);
  }
}

const toMinutes = (duration: string | number, clock: SlaClock, cal: WorkCalendar): number => {
  if (typeof duration === "string") return durationMinutes(duration, clock, cal);
  if (!Number.isFinite(duration)) throw new ChatDeskError("INVALID_INPUT", `invalid duration ${duration}`);
  return duration;
};

/**
 * `from` + duration in the policy's clock. A number is minutes and may be negative (e.g. a reminder
 * "1h before" the deadline); in the working clock counting starts at the next working moment.
 */
export function addPolicyDuration(cal: WorkCalendar, clock: SlaClock, from: Date, duration: string | number): Date {
  const minutes = toMinutes(duration, clock, cal);
  if (clock === "working") return cal.addWorkingMinutes(from, minutes);
  return new Date(from.getTime() + Math.round(minutes * MINUTE_MS));
}

/** `from` − duration in the policy's clock (for "remind 1h before the deadline"). */
export function subtractPolicyDuration(cal: WorkCalendar, clock: SlaClock, from: Date, duration: string | number): Date {
  return addPolicyDuration(cal, clock, from, -toMinutes(duration, clock, cal));
}

/** Minutes of the policy's clock between two instants; 0 when `to` <= `from`. */
export function elapsedMinutes(cal: WorkCalendar, clock: SlaClock, from: Date, to: Date): number {
  if (clock === "working") return cal.workingMinutesBetween(from, to);
  return Math.max(0, (to.getTime() - from.getTime()) / MINUTE_MS);
}

export function slaOf(sla: SlaPolicy, priority: Priority): SlaTarget {
  const target = sla[priority];
  if (!target) throw new ChatDeskError("CONFIG_INVALID", `no SLA configured for priority "${priority}"`);
  return target;
}

/**
 * A stretch of time the ticket's clocks stood still (waiting on the customer or a third party).
 * `to` null: still waiting.
 */
export interface Pause {
  from: Date;
  to: Date | null;
}

/**
 * The pauses that matter after `start`, as closed, sorted, non-overlapping intervals. An open pause is
 * closed at `asOf` (not before its own start): the deadlines as they stand if the clock restarted then.
 */
export function normalizePauses(pauses: readonly Pause[], start: Date, asOf: Date): { from: Date; to: Date }[] {
  const closed = pauses
    .map((p) => ({ from: Math.max(p.from.getTime(), start.getTime()), to: (p.to ?? new Date(Math.max(asOf.getTime(), p.from.getTime()))).getTime() }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const p of closed) {
    const last = out[out.length - 1];
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else out.push({ ...p });
  }
  return out.map((p) => ({ from: new Date(p.from), to: new Date(p.to) }));
}

/** Minutes of the policy's clock in [from, to] that fall inside the pauses (an open pause runs until `to`). */
export function pausedMinutes(cal: WorkCalendar, clock: SlaClock, from: Date, to: Date, pauses: readonly Pause[]): number {
  let total = 0;
  for (const p of normalizePauses(pauses, from, to)) {
    if (p.from >= to) break;
    total += elapsedMinutes(cal, clock, p.from, p.to < to ? p.to : to);
  }
  return total;
}

/** Minutes of the policy's clock in [from, to] outside the pauses: the time the SLA counts. */
export function activeMinutes(cal: WorkCalendar, clock: SlaClock, from: Date, to: Date, pauses: readonly Pause[]): number {
  return splitMinutes(cal, clock, from, to, pauses).active;
}

/** Both parts of [from, to] in the policy's clock, the pauses walked once: paused, and active (the rest). */
export function splitMinutes(cal: WorkCalendar, clock: SlaClock, from: Date, to: Date, pauses: readonly Pause[]): { paused: number; active: number } {
  const paused = pausedMinutes(cal, clock, from, to, pauses);
  return { paused, active: Math.max(0, elapsedMinutes(cal, clock, from, to) - paused) };
}

/**
 * The instant at which `duration` of active (unpaused) time since `start` has passed. Walking the
 * stretches between pauses means a new target applies to the time already worked, exactly: a priority
 * change keeps what was spent, and paused time is never counted, whatever the calendar did meanwhile.
 */
export function addActiveDuration(
  cal: WorkCalendar,
  clock: SlaClock,
  start: Date,
  duration: string | number,
  pauses: readonly Pause[] = [],
  asOf: Date = start,
): Date {
  let remaining = toMinutes(duration, clock, cal);
  let cursor = start;
  for (const p of normalizePauses(pauses, start, asOf)) {
    const stretch = elapsedMinutes(cal, clock, cursor, p.from);
    if (stretch >= remaining) break;
    remaining -= stretch;
    if (p.to > cursor) cursor = p.to;
  }
  return addPolicyDuration(cal, clock, cursor, remaining);
}

/**
 * First-response and resolution deadlines of a ticket received at `receivedAt`, its clocks stopped
 * during `pauses`. While a pause is open the deadlines are those that hold if the clock restarts at `asOf`.
 */
export function dueDates(
  sla: SlaPolicy,
  priority: Priority,
  receivedAt: Date,
  cal: WorkCalendar,
  pauses: readonly Pause[] = [],
  asOf: Date = receivedAt,
): { responseDueAt: Date; resolutionDueAt: Date } {
  const target = slaOf(sla, priority);
  return {
    responseDueAt: addActiveDuration(cal, target.clock, receivedAt, target.response, pauses, asOf),
    resolutionDueAt: addActiveDuration(cal, target.clock, receivedAt, target.resolution, pauses, asOf),
  };
}
