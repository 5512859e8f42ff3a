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

/** First-response and resolution deadlines of a ticket received at `receivedAt`. */
export function dueDates(
  sla: SlaPolicy,
  priority: Priority,
  receivedAt: Date,
  cal: WorkCalendar,
): { responseDueAt: Date; resolutionDueAt: Date } {
  const target = slaOf(sla, priority);
  return {
    responseDueAt: addPolicyDuration(cal, target.clock, receivedAt, target.response),
    resolutionDueAt: addPolicyDuration(cal, target.clock, receivedAt, target.resolution),
  };
}
