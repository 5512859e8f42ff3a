// Who is on duty now, per department: the workflow file's weekly roster with the leave and swaps set
// in chat (store/duty.ts), and the open load each handler carries against their capacity.
import { onDuty, type Leave } from "../core/duty.js";
import type { Department } from "../core/workflow.js";
import { leavesOn } from "../store/duty.js";
import type { AppContext } from "./context.js";

export interface DutyToday {
  date: string;
  isoWeekday: number;
  leaves: Leave[];
}

export async function dutyToday(ctx: AppContext, at: Date = ctx.now()): Promise<DutyToday> {
  const date = ctx.calendar.localDate(at);
  return { date, isoWeekday: ctx.calendar.isoWeekday(date), leaves: await leavesOn(ctx.db, date) };
}

export const onDutyIn = (dept: Department, d: DutyToday): string[] => onDuty(dept, d.date, d.isoWeekday, d.leaves);

/** Open tickets (待处理 + 处理中) per handler of the department's pool. */
export async function openLoads(ctx: AppContext, handlers: string[]): Promise<Record<string, number>> {
  const rows = await ctx.db.ticket.groupBy({
    by: ["handlerId"],
    where: { handlerId: { in: handlers }, status: { in: ["open", "in_progress"] } },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.handlerId!, r._count._all]));
}

/** Capacity per handler from the workflow file's people. */
export const capacities = (ctx: AppContext, handlers: string[]): Record<string, number | undefined> =>
  Object.fromEntries(handlers.map((h) => [h, ctx.config.people.find((p) => p.id === h)?.capacity]));
