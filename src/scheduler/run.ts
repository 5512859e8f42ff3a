// One tick's shared state: the context pinned to the tick's instant, and what it did.
import type { AppContext } from "../app/context.js";

export interface TickSummary {
  at: string;
  /** Reminders before a deadline. */
  reminders: number;
  /** Breaches (level 1, marked overdue, to the lead) and second levels (to the manager). */
  escalations: number;
  nudges: number;
  confirmReminders: number;
  autoClosed: number;
  digests: number;
  /** Managers warned that official holiday data is running out (calendar-warning.ts). */
  calendarWarnings: number;
  /** Due but held back: working-clock follow-ups outside working time. */
  waiting: number;
  /** Found due but claimed already (by an earlier or concurrent tick, or another process). */
  alreadyClaimed: number;
  /** Due but left for the next tick: this one reached its action budget (a catch-up after downtime). */
  postponed: number;
  /** Tickets whose next follow-up time this tick recomputed (found due, or changed since the last tick). */
  followUpTimes: number;
  /** Outbox rows this tick's claims handed to delivery. */
  enqueued: number;
  errors: string[];
}

export interface Run {
  /** ctx.now() returns the tick's instant, so cards, events and outbox rows agree with the decisions. */
  ctx: AppContext;
  now: Date;
  summary: TickSummary;
  /** Outbox ids to deliver right after the tick. */
  enqueued: number[];
  /** Ticket follow-ups this tick may still act on; bounds a tick's length (Worker cron CPU limits). */
  budget: number;
}

/** Ticket follow-ups per tick; the oldest due go first, the rest follow on the next ticks. */
export const DEFAULT_MAX_ACTIONS = 300;

export function newRun(ctx: AppContext, now: Date, maxActions = DEFAULT_MAX_ACTIONS): Run {
  return {
    ctx: { ...ctx, now: () => now },
    now,
    summary: { at: now.toISOString(), reminders: 0, escalations: 0, nudges: 0, confirmReminders: 0, autoClosed: 0, digests: 0, calendarWarnings: 0, waiting: 0, alreadyClaimed: 0, postponed: 0, followUpTimes: 0, enqueued: 0, errors: [] },
    enqueued: [],
    budget: maxActions,
  };
}

/** Take one action from the tick's budget; false (and counted as postponed) when it is spent. */
export function withinBudget(run: Run): boolean {
  if (run.budget <= 0) {
    run.summary.postponed++;
    return false;
  }
  run.budget--;
  return true;
}

/** Record the outcome of a claim; true when this run won it. */
export function claimed(run: Run, ids: number[] | null): boolean {
  if (ids === null) {
    run.summary.alreadyClaimed++;
    return false;
  }
  run.enqueued.push(...ids);
  run.summary.enqueued += ids.length;
  return true;
}
