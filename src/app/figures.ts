// Digest figures from the SQL aggregates in store/reports.ts (never by loading the tickets), labelled
// for a locale. Shared by the scheduled digests and /stats, so both show the same numbers.
import type { DailyDigestData, CountWithTrend, DigestLine, PeriodDigestData } from "../../cards/digest.js";
import { capacityOf, dutyFigures, waitingVsWorking } from "./duty-figures.js";
import { messages } from "../../cards/i18n/index.js";
import type { AppContext } from "./context.js";
import { namesOf } from "./names.js";
import type { NameBook } from "./people.js";
import { recurringFor, recurringLines } from "./recurring.js";
import { categoryLabel, departmentLabel, personLabel } from "./views.js";
import type { WorkCalendar } from "../core/calendar.js";
import type { Locale } from "../core/types.js";
import {
  activeNow,
  backlogNow,
  breakdown,
  dueTickets,
  handlerLoad,
  overdueTickets,
  reportCounts,
  reportSummary,
  satisfaction,
  topProblems,
  type BreakdownColumn,
  type CountRow,
  type DueLine,
  type ReportRange,
} from "../store/reports.js";

export interface FigurePeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
  previous: { start: Date; end: Date };
}

/** Local days `from`..`to` (inclusive) as instants in the calendar's zone. */
export const localRange = (cal: WorkCalendar, from: string, to: string) => ({ from, to, start: cal.startOfLocalDay(from), end: cal.startOfLocalDay(cal.addLocalDays(to, 1)) });

/** A rolling period ending today (for /stats): the last 7 or 30 local days and the 7 / 30 before. */
export function rollingPeriod(cal: WorkCalendar, now: Date, days: number): FigurePeriod {
  const to = cal.localDate(now);
  const from = cal.addLocalDays(to, -(days - 1));
  return { ...localRange(cal, from, to), previous: localRange(cal, cal.addLocalDays(from, -days), cal.addLocalDays(from, -1)) };
}

const base = (ctx: AppContext) => ctx.publicUrl?.replace(/\/+$/, "");

export function reportUrl(ctx: AppContext, from: string, to: string): string | undefined {
  const b = base(ctx);
  return b ? `${b}/console/reports?period=custom&from=${from}&to=${to}` : undefined;
}

const ticketUrl = (ctx: AppContext, number: string) => (base(ctx) ? `${base(ctx)}/console/tickets/${number}` : undefined);

function labeller(ctx: AppContext, column: BreakdownColumn, locale: Locale): (key: string | null) => string {
  const m = messages(locale);
  return (key) => {
    if (key === null || key === "") return m.digest.notSet;
    if (column === "category") return categoryLabel(ctx.config, key, null, locale);
    if (column === "department") return departmentLabel(ctx.config, key, locale);
    if (column === "channel") return (m.channel as Record<string, string>)[key] ?? key;
    return key;
  };
}

/** Current and previous counts per key, largest first; keys that fell to zero stay visible. */
function withTrend(cur: CountRow[], prev: CountRow[], label: (k: string | null) => string): CountWithTrend[] {
  const keys = [...new Set([...cur.map((r) => r.key), ...prev.map((r) => r.key)])];
  const count = (rows: CountRow[], k: string | null) => rows.find((r) => r.key === k)?.count ?? 0;
  return keys
    .map((k) => ({ label: label(k), count: count(cur, k), previous: count(prev, k) }))
    .sort((a, b) => b.count - a.count || b.previous - a.previous || a.label.localeCompare(b.label));
}

export async function periodFigures(
  ctx: AppContext,
  kind: PeriodDigestData["kind"],
  p: FigurePeriod,
  locale: Locale,
  departments?: string[],
): Promise<PeriodDigestData> {
  const now = ctx.now();
  const cur: ReportRange = { start: p.start, end: p.end, now, departments };
  const prev: ReportRange = { start: p.previous.start, end: p.previous.end, now, departments };
  const columns: BreakdownColumn[] = ["category", "department", "channel"];
  const active = activeNow(ctx.db, { now, departments });
  const [summary, prevSummary, curBreak, prevBreak, problems, sat, load, backlog, recurring] = await Promise.all([
    reportSummary(ctx.db, cur),
    reportCounts(ctx.db, prev),
    Promise.all(columns.map((c) => breakdown(ctx.db, cur, c))),
    Promise.all(columns.map((c) => breakdown(ctx.db, prev, c))),
    topProblems(ctx.db, cur, 3),
    satisfaction(ctx.db, cur, 3),
    handlerLoad(ctx.db, cur, active),
    backlogNow(ctx.db, { now, departments }, active),
    recurringFor(ctx, cur, prev, 3),
  ]);
  const trend = (i: number) => withTrend(curBreak[i]!, prevBreak[i]!, labeller(ctx, columns[i]!, locale));
  // Handlers outside the workflow file (stored "feishu:ou_…") by their cached names, read in one query.
  const names = await namesOf(ctx, load.map((h) => [h.handlerId] as const));
  return {
    kind,
    from: p.from,
    to: p.to,
    departments: departments?.map((d) => departmentLabel(ctx.config, d, locale)),
    received: summary.received,
    previousReceived: prevSummary.received,
    solved: summary.solved,
    resolutionRate: summary.received ? summary.solved / summary.received : null,
    responseOnTime: { ok: summary.responseOnTime, due: summary.responseDue },
    resolutionOnTime: { ok: summary.resolutionOnTime, due: summary.resolutionDue },
    avgResponseMinutes: summary.avgResponseMinutes,
    p90ResponseMinutes: summary.p90ResponseMinutes,
    avgResolutionMinutes: summary.avgResolutionMinutes,
    p90ResolutionMinutes: summary.p90ResolutionMinutes,
    byCategory: trend(0),
    byDepartment: trend(1),
    byChannel: trend(2),
    topProblems: problems.map((x) => ({ label: categoryLabel(ctx.config, x.category, x.subCategory, locale), count: x.count, example: x.latestNumber })),
    recurring: recurringLines(recurring),
    satisfaction: {
      average: sat.average,
      ratings: sat.ratings,
      distribution: [...sat.distribution],
      unsatisfied: sat.unsatisfied.map((u) => ({ number: u.number, score: u.score })),
    },
    handlers: load.map((h) => ({ name: personLabel(ctx.config, h.handlerId, names), received: h.received, solved: h.solved, active: h.active, overdue: h.overdue, ...withCapacity(capacityOf(ctx, h.handlerId)) })),
    waiting: await periodWaiting(ctx, p, departments),
    backlog,
    url: reportUrl(ctx, p.from, p.to),
  };
}

const line = (ctx: AppContext, r: DueLine, names: NameBook): DigestLine => ({
  number: r.number,
  title: r.title,
  deadline: r.deadline,
  due: r.due,
  handler: r.handlerId ? personLabel(ctx.config, r.handlerId, names) : undefined,
  url: ticketUrl(ctx, r.number),
});

/** The daily brief for a lead's departments: new since `since`, backlog, due today, overdue. */
export async function dailyFigures(
  ctx: AppContext,
  p: { date: string; since: Date; until: Date },
  locale: Locale,
  departments: string[],
): Promise<DailyDigestData> {
  const now = ctx.now();
  const cal = ctx.calendar;
  const dayEnd = cal.startOfLocalDay(cal.addLocalDays(p.date, 1));
  const [summary, backlog, dueToday, overdue] = await Promise.all([
    reportSummary(ctx.db, { start: p.since, end: p.until, now, departments }),
    backlogNow(ctx.db, { now, departments }),
    dueTickets(ctx.db, { start: now, end: dayEnd, departments }),
    overdueTickets(ctx.db, { now, departments }),
  ]);
  const names = await namesOf(ctx, [...dueToday.rows, ...overdue.rows].map((r) => [r.handlerId] as const));
  return {
    date: p.date,
    departments: departments.map((d) => departmentLabel(ctx.config, d, locale)),
    since: p.since,
    newCount: summary.received,
    backlog,
    dueToday: { total: dueToday.total, rows: dueToday.rows.map((r) => line(ctx, r, names)) },
    overdue: { total: overdue.total, rows: overdue.rows.map((r) => line(ctx, r, names)) },
    url: reportUrl(ctx, cal.localDate(p.since), p.date),
    duty: await dutyFigures(ctx, locale, departments),
  };
}

const withCapacity = (capacity: number | undefined) => (capacity === undefined ? {} : { capacity });

async function periodWaiting(ctx: AppContext, p: FigurePeriod, departments?: string[]): Promise<PeriodDigestData["waiting"]> {
  const [w, now] = await Promise.all([waitingVsWorking(ctx, p.start, p.end, departments), dutyFigures(ctx, ctx.config.locale, departments)]);
  return { avgWaiting: w.avgWaiting, avgWorking: w.avgWorking, waitingNow: now.waitingNow };
}
