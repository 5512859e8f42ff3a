// Every figure of the reports page (and its exports) for one period, from the shared SQL aggregates.
import type { RecurringGroup } from "../core/recurring.js";
import { recurringIn } from "../app/recurring.js";
import type { Db } from "../store/db.js";
import {
  activeNow,
  backlogNow,
  breakdown,
  handlerLoad,
  reportCounts,
  reportSeries,
  reportSummary,
  satisfaction,
  topProblems,
  type BucketFigures,
  type CountRow,
  type HandlerLoadRow,
  type ProblemRow,
  type ReportSummary,
  type SatisfactionFigures,
  type SummaryCounts,
} from "../store/reports.js";
import type { Period } from "./period.js";

export interface ReportData {
  period: Period;
  /** undefined = all departments. */
  departments?: string[];
  summary: ReportSummary;
  /** The previous period's counts: the page compares counts and rates, not its times. */
  previous: SummaryCounts;
  backlog: { active: number; overdue: number; unassigned: number };
  series: BucketFigures[];
  categories: CountRow[];
  byDepartment: CountRow[];
  channels: CountRow[];
  top: ProblemRow[];
  /** 高频问题 by similar text (src/core/recurring.ts): most typical title, count, previous period's count. */
  recurring: RecurringGroup[];
  load: HandlerLoadRow[];
  satisfaction: SatisfactionFigures;
  previousSatisfaction: SatisfactionFigures;
}

/** `threshold`: the similarity that groups tickets by text (the workflow file's duplicates.threshold). */
export async function loadReport(db: Db, period: Period, now: Date, departments?: string[], threshold = 0.3): Promise<ReportData> {
  const range = { start: period.start, end: period.end, now, departments };
  const prev = { start: period.previous.start, end: period.previous.end, now, departments };
  const active = activeNow(db, { now, departments });
  const [summary, previous, backlog, series, categories, byDepartment, channels, top, load, sat, prevSat, recurring] = await Promise.all([
    reportSummary(db, range),
    reportCounts(db, prev),
    backlogNow(db, { now, departments }, active),
    reportSeries(db, period.buckets, { now, departments }),
    breakdown(db, range, "category"),
    breakdown(db, range, "department"),
    breakdown(db, range, "channel"),
    topProblems(db, range, 5),
    handlerLoad(db, range, active),
    satisfaction(db, range, 10),
    satisfaction(db, prev, 0),
    recurringIn(db, range, prev, threshold, 5),
  ]);
  return { period, departments, summary, previous, backlog, series, categories, byDepartment, channels, top, recurring, load, satisfaction: sat, previousSatisfaction: prevSat };
}

/** x / y as a percentage, or null when there is nothing to measure. */
export const pct = (x: number, y: number): number | null => (y > 0 ? (x / y) * 100 : null);

/** The handlers a report names (load table, unsatisfied ratings), for their cached names in one query (app/names.ts namesOf). */
export const reportPeople = (d: ReportData): (readonly [string | null])[] => [...d.load.map((h) => [h.handlerId] as const), ...d.satisfaction.unsatisfied.map((u) => [u.handlerId] as const)];
