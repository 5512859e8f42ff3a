// When each follow-up of a ticket is due (docs/spec.md "Follow-up rules"), and when the scheduler next
// has to look at a ticket at all: the earliest reminder, breach, second level, progress nudge, blocked
// escalation, confirmation reminder or auto-close not sent yet. Stored as Ticket.nextFollowUpAt, so a
// tick reads only the tickets due (an index range), never the whole backlog. Pure: calendar, times,
// the notices already sent and now are passed in.
import type { WorkCalendar } from "./calendar.js";
import { addPolicyDuration, durationMinutes, elapsedMinutes, slaOf, subtractPolicyDuration, type SlaClock, type SlaPolicy } from "./sla.js";
import type { Priority } from "./types.js";

/** The part of the workflow the follow-up rules read (the workflow config satisfies it). */
export interface FollowUpPolicy {
  sla: SlaPolicy;
  reminders: {
    /** Fractions of the window (0.75) or durations before the deadline ("1h"). */
    before: (number | string)[];
    secondLevelAfter: string;
    progressNudgeAfter: string;
    blockedEscalateAfter: string;
    autoCloseAfterDays: number;
  };
}

export type StageName = "before" | "breach" | "escalate";

export interface Stage {
  name: StageName;
  /** before: index in reminders.before; breach: 1; escalate: 2. */
  level: number;
  at: Date;
}

/**
 * A working-clock follow-up only goes out in working time, or within this long after its moment
 * (deadlines often fall on a period's end, e.g. 18:00, which is itself outside working time).
 * Calendar-clock (urgent) follow-ups go out whenever they are due, 3 a.m. on a holiday included.
 */
export const WORKING_GRACE_MS = 15 * 60_000;

export function mayFireNow(cal: WorkCalendar, clock: SlaClock, at: Date, now: Date): boolean {
  if (at > now) return false;
  return clock === "calendar" || now.getTime() - at.getTime() <= WORKING_GRACE_MS || cal.isWorkingTime(now);
}

export const clockOf = (p: Pick<FollowUpPolicy, "sla">, priority: string): SlaClock => slaOf(p.sla, priority as Priority).clock;

/** Reminders before the deadline, the breach itself, and the second level after a further window. */
export function deadlineStages(p: FollowUpPolicy, cal: WorkCalendar, clock: SlaClock, start: Date, due: Date): Stage[] {
  const window = elapsedMinutes(cal, clock, start, due);
  const before: Stage[] = [];
  p.reminders.before.forEach((b, level) => {
    const at = typeof b === "number" ? addPolicyDuration(cal, clock, start, b * window) : subtractPolicyDuration(cal, clock, due, b);
    // Two rules landing on the same moment (75% of 4h = 1h before) send one reminder.
    if (at > start && at < due && !before.some((x) => x.at.getTime() === at.getTime())) before.push({ name: "before", level, at });
  });
  before.sort((a, b) => a.at.getTime() - b.at.getTime());
  return [...before, { name: "breach", level: 1, at: due }, { name: "escalate", level: 2, at: addPolicyDuration(cal, clock, due, p.reminders.secondLevelAfter) }];
}

/** The latest stage whose moment has come: earlier ones missed (downtime) are folded into it. */
export const currentStage = (stages: Stage[], now: Date): Stage | undefined => stages.filter((s) => s.at <= now).at(-1);

/** The n-th nudge is due after n quiet windows; returns the latest one that has come, if any. */
export function nudgeStage(p: FollowUpPolicy, cal: WorkCalendar, clock: SlaClock, lastProgressAt: Date, now: Date): { level: number; at: Date } | undefined {
  const window = durationMinutes(p.reminders.progressNudgeAfter, clock, cal);
  if (window <= 0) return undefined;
  const n = Math.floor(elapsedMinutes(cal, clock, lastProgressAt, now) / window);
  if (n < 1) return undefined;
  return { level: n, at: addPolicyDuration(cal, clock, lastProgressAt, n * window) };
}

/** Auto-close after N days without confirmation; the reporter is reminded one day earlier (N ≥ 2). */
export function confirmStages(p: FollowUpPolicy, cal: WorkCalendar, clock: SlaClock, resolvedAt: Date): { remindAt?: Date; closeAt: Date } {
  const n = p.reminders.autoCloseAfterDays;
  return {
    remindAt: n >= 2 ? addPolicyDuration(cal, clock, resolvedAt, `${n - 1}d`) : undefined,
    closeAt: addPolicyDuration(cal, clock, resolvedAt, `${n}d`),
  };
}

/** level 1 "lead" at blockedAt, level 2 "escalate" (managers) after the configured window. */
export function blockedStages(p: FollowUpPolicy, cal: WorkCalendar, clock: SlaClock, blockedAt: Date): Stage[] {
  return [
    { name: "breach", level: 1, at: blockedAt },
    { name: "escalate", level: 2, at: addPolicyDuration(cal, clock, blockedAt, p.reminders.blockedEscalateAfter) },
  ];
}

/** The ticket times the follow-up rules read. */
export interface FollowUpTicket {
  status: string;
  priority: string;
  receivedAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  lastProgressAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
  blockedAt: Date | null;
  /** Set while waiting on the customer or a third party: the clocks stand still, no deadline, nudge or blocked follow-up. */
  waitingSince?: Date | null;
}

/** A notice already claimed for the ticket (Notice kind, level, and the instant it is about). */
export interface SentNotice {
  kind: string;
  level: number;
  at: Date;
}

/**
 * Stored a little early: a moment computed in working minutes may differ from the scheduler's own
 * "has it come" check by rounding; a tick that looks a minute early finds nothing and looks again.
 */
export const FOLLOW_UP_MARGIN_MS = 60_000;

const isSent = (sent: SentNotice[], kind: string, level: number, at: Date) => sent.some((n) => n.kind === kind && n.level === level && n.at.getTime() === at.getTime());

/** The first stage after the latest one already sent (earlier unsent ones are folded into later ones and never sent). */
function nextOfStages(stages: Stage[], sent: SentNotice[], kindOf: (s: Stage) => string, about: Date): Date | undefined {
  let last = -1;
  stages.forEach((s, i) => {
    if (isSent(sent, kindOf(s), s.level, about)) last = i;
  });
  return stages[last + 1]?.at;
}

/** Each follow-up family's next moment (unsent), in the ticket's clock. */
function pendingMoments(p: FollowUpPolicy, cal: WorkCalendar, clock: SlaClock, t: FollowUpTicket, sent: SentNotice[]): Date[] {
  const out: (Date | undefined)[] = [];
  // Waiting: its own reminder (scheduler/waiting.ts) reads waiting tickets itself; resuming changes the ticket.
  if (t.waitingSince) return [];
  if (t.status === "open" || t.status === "in_progress") {
    for (const kind of ["response", "resolution"] as const) {
      if (kind === "response" && t.firstResponseAt) continue;
      const due = kind === "response" ? t.responseDueAt : t.resolutionDueAt;
      out.push(nextOfStages(deadlineStages(p, cal, clock, t.receivedAt, due), sent, (s) => `${kind}.${s.name}`, due));
    }
  }
  if (t.status === "in_progress") {
    const window = durationMinutes(p.reminders.progressNudgeAfter, clock, cal);
    if (window > 0) {
      const level = Math.max(0, ...sent.filter((n) => n.kind === "nudge" && n.at.getTime() === t.lastProgressAt.getTime()).map((n) => n.level));
      out.push(addPolicyDuration(cal, clock, t.lastProgressAt, (level + 1) * window));
    }
    if (t.blockedAt) out.push(nextOfStages(blockedStages(p, cal, clock, t.blockedAt), sent, (s) => (s.level === 1 ? "blocked.lead" : "blocked.escalate"), t.blockedAt));
  }
  if (t.status === "resolved") {
    const resolved = t.resolvedAt ?? t.updatedAt;
    const { remindAt, closeAt } = confirmStages(p, cal, clock, resolved);
    if (!isSent(sent, "autoclose", 1, resolved)) out.push(remindAt && !isSent(sent, "confirm", 1, resolved) ? remindAt : closeAt);
  }
  return out.filter((d): d is Date => d !== undefined);
}

/**
 * When the scheduler next has to look at the ticket, or null when never (closed, rejected, merged, or
 * every follow-up sent). A moment that has come but may not go out now (a working-clock follow-up at
 * night or on a holiday, past the grace) is looked at again at the next working moment, not every tick.
 */
export function nextFollowUpAt(p: FollowUpPolicy, cal: WorkCalendar, t: FollowUpTicket, sent: SentNotice[], now: Date): Date | null {
  const clock = clockOf(p, t.priority);
  let next: number | undefined;
  for (const at of pendingMoments(p, cal, clock, t, sent)) {
    const when = at > now ? at.getTime() - FOLLOW_UP_MARGIN_MS : mayFireNow(cal, clock, at, now) ? at.getTime() : cal.nextWorkingStart(now).getTime();
    next = next === undefined ? when : Math.min(next, when);
  }
  return next === undefined ? null : new Date(next);
}
