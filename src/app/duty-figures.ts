// The digests' duty figures: who is on duty, what waits on customers now, each handler's load against
// their capacity, and for tickets solved in a period the time they waited apart from the time worked.
import { slaOf, splitMinutes } from "../core/sla.js";
import type { Priority } from "../core/types.js";
import { allPauses } from "../core/waiting.js";
import { solvedSpans } from "../store/reports.js";
import type { AppContext } from "./context.js";
import { dutyToday, onDutyIn } from "./duty.js";
import { departmentLabel, personName } from "./views.js";
import type { Locale } from "../core/types.js";

export interface DutyFigures {
  /** Per department (of the scope): the people on duty today, by name. */
  onDuty: { department: string; people: string[] }[];
  /** Active tickets waiting on the customer or a third party now. */
  waitingNow: number;
}

export async function dutyFigures(ctx: AppContext, locale: Locale, departments?: string[]): Promise<DutyFigures> {
  const today = await dutyToday(ctx);
  const depts = ctx.config.departments.filter((d) => !departments?.length || departments.includes(d.id));
  const waitingNow = await ctx.db.ticket.count({
    where: { status: { in: ["open", "in_progress"] }, waitingSince: { not: null }, ...(departments?.length ? { department: { in: departments } } : {}) },
  });
  return {
    onDuty: depts.map((d) => ({ department: departmentLabel(ctx.config, d.id, locale), people: onDutyIn(d, today).map((id) => personName(ctx.config, id) ?? id) })),
    waitingNow,
  };
}

/** Average minutes waited and worked (in each ticket's SLA clock) over the tickets solved in [start, end). */
export async function waitingVsWorking(ctx: AppContext, start: Date, end: Date, departments?: string[]): Promise<{ solved: number; avgWaiting: number | null; avgWorking: number | null }> {
  const rows = await solvedSpans(ctx.db, { start, end, departments: departments?.length ? departments : undefined });
  let waiting = 0;
  let working = 0;
  for (const t of rows) {
    let clock: "working" | "calendar" = "working";
    try {
      clock = slaOf(ctx.config.sla, t.priority as Priority).clock;
    } catch {
      // an unknown priority counts working time
    }
    const m = splitMinutes(ctx.calendar, clock, t.receivedAt, t.resolvedAt, allPauses(t));
    waiting += m.paused;
    working += m.active;
  }
  return { solved: rows.length, avgWaiting: rows.length ? waiting / rows.length : null, avgWorking: rows.length ? working / rows.length : null };
}

/** Capacity of a handler by id (undefined: no limit). */
export const capacityOf = (ctx: AppContext, handlerId: string): number | undefined => ctx.config.people.find((p) => p.id === handlerId)?.capacity;
