// 高频问题 by meaning for digests, /stats and the console report: a period's tickets grouped by similar text.
import { recurringProblems, type RecurringGroup } from "../core/recurring.js";
import { problemTexts } from "../store/recurring.js";
import type { Db } from "../store/db.js";
import type { ReportRange } from "../store/reports.js";
import type { AppContext } from "./context.js";

/** Both periods' texts read, the current one grouped, each group's previous count. */
export async function recurringIn(db: Db, cur: ReportRange, prev: ReportRange, threshold: number, limit: number): Promise<RecurringGroup[]> {
  const [a, b] = await Promise.all([problemTexts(db, cur), problemTexts(db, prev)]);
  return recurringProblems(a, b, threshold, limit);
}

export const recurringFor = (ctx: AppContext, cur: ReportRange, prev: ReportRange, limit = 3): Promise<RecurringGroup[]> =>
  recurringIn(ctx.db, cur, prev, ctx.config.duplicates.threshold, limit);

/** The digest's lines: title, count, previous count, and the newest ticket as the example. */
export const recurringLines = (groups: RecurringGroup[]) => groups.map((g) => ({ title: g.title, count: g.count, previous: g.previous, example: g.numbers[0] ?? "" }));
