// Report figures (digests, /stats, console, exports) as SQL aggregates, so a report over a year of
// tickets never loads them. Whole days of a range are read from the digest rollups (report-rollup.ts,
// migration digest_rollups), the rest of it from "Ticket" (report-scan.ts). Plain SQLite SQL: runs on
// better-sqlite3 and on D1.
import { mergeBuckets, p90OfBuckets } from "../core/percentile.js";
import type { Db } from "./db.js";
import { rolledCounts, rolledHandlers, rolledHistograms, rolledSummary } from "./report-rollup.js";
import { addParts, scanCounts, scanHandlers, scanHistogram, scanP90, scanSummary, type HandlerParts, type KeyCount, type SummaryCounts, type SummaryParts } from "./report-scan.js";
import { flag, inRange, num, numOrNull, run, scopeOf, sql, sqlTime, type Sql } from "./report-sql.js";
import { splitRange } from "./rollup-days.js";

export { sqlTime } from "./report-sql.js";
export type { SummaryCounts } from "./report-scan.js";

export interface ReportRange {
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Deadlines are judged at this instant for tickets not yet answered / resolved. */
  now: Date;
  /** Limit to these departments; undefined = all. */
  departments?: string[];
}

const scope = (r: Pick<ReportRange, "departments">): Sql => scopeOf(r.departments);

// SLA: a response is due once given or once its deadline passed; rejected / merged tickets without
// an answer are out of the measure. The same for resolution.
const respDue = (now: Date) => sql`(t.firstResponseAt IS NOT NULL OR (t.responseDueAt < ${sqlTime(now)} AND t.status NOT IN ('rejected','merged')))`;
const respOk = sql`(t.firstResponseAt IS NOT NULL AND t.firstResponseAt <= t.responseDueAt)`;
const resDue = (now: Date) => sql`(t.status NOT IN ('rejected','merged') AND (t.resolvedAt IS NOT NULL OR t.resolutionDueAt < ${sqlTime(now)}))`;
const resOk = sql`(t.resolvedAt IS NOT NULL AND t.resolvedAt <= t.resolutionDueAt)`;
const overdueNow = (now: Date) =>
  sql`(t.status IN ('open','in_progress') AND (t.responseOverdue = 1 OR t.resolutionOverdue = 1 OR (t.firstResponseAt IS NULL AND t.responseDueAt < ${sqlTime(now)}) OR t.resolutionDueAt < ${sqlTime(now)}))`;

export interface ReportSummary extends SummaryCounts {
  /** Calendar minutes from receipt; null when nothing was answered / resolved. */
  avgResponseMinutes: number | null;
  avgResolutionMinutes: number | null;
  p90ResponseMinutes: number | null;
  p90ResolutionMinutes: number | null;
}

/**
 * Figures over the tickets received in the range. p90s: from the rollups' histogram (the lower edge of a
 * 3-significant-digit bucket of minutes, within 1%) when the range holds a whole rollup day, else exact.
 */
export async function reportSummary(db: Db, r: ReportRange): Promise<ReportSummary> {
  const split = splitRange(r);
  if (!split.days) {
    const [parts, p90Response, p90Resolution] = await Promise.all([
      scanSummary(db, r, r.now, r.departments),
      scanP90(db, r, r.departments, "firstResponseAt"),
      scanP90(db, r, r.departments, "resolvedAt"),
    ]);
    return summaryOf(parts, p90Response, p90Resolution);
  }
  const [rolled, hist, edges] = await Promise.all([
    rolledSummary(db, split.days, r.now, r.departments),
    rolledHistograms(db, split.days, r.departments),
    Promise.all(
      split.edges.map(async (e) => ({
        parts: await scanSummary(db, e, r.now, r.departments),
        response: await scanHistogram(db, e, r.departments, "firstResponseAt"),
        resolution: await scanHistogram(db, e, r.departments, "resolvedAt"),
      })),
    ),
  ]);
  const parts = edges.reduce((p, e) => addParts(p, e.parts), rolled);
  const response = edges.reduce((m, e) => mergeBuckets(m, e.response), mergeBuckets(new Map(), hist.response));
  const resolution = edges.reduce((m, e) => mergeBuckets(m, e.resolution), mergeBuckets(new Map(), hist.resolution));
  return summaryOf(parts, p90OfBuckets(response), p90OfBuckets(resolution));
}

/**
 * The range's counts without the percentiles or averages, so no histogram is read: a digest compares
 * only how many came in with the previous period (over 1M tickets the month's histograms take 50–80 ms).
 */
export async function reportCounts(db: Db, r: ReportRange): Promise<SummaryCounts> {
  const split = splitRange(r);
  if (!split.days) return countsOf(await scanSummary(db, r, r.now, r.departments));
  const [rolled, ...edges] = await Promise.all([rolledSummary(db, split.days, r.now, r.departments), ...split.edges.map((e) => scanSummary(db, e, r.now, r.departments))]);
  return countsOf(edges.reduce(addParts, rolled));
}

function countsOf(p: SummaryParts): SummaryCounts {
  const { answered: _a, responseMs: _b, resolved: _c, resolutionMs: _d, ...counts } = p;
  return counts;
}

function summaryOf(p: SummaryParts, p90Response: number | null, p90Resolution: number | null): ReportSummary {
  return {
    ...countsOf(p),
    avgResponseMinutes: p.answered ? p.responseMs / p.answered / 60_000 : null,
    avgResolutionMinutes: p.resolved ? p.resolutionMs / p.resolved / 60_000 : null,
    p90ResponseMinutes: p90Response,
    p90ResolutionMinutes: p90Resolution,
  };
}

/** Counts by one column over the range: rollup days and the edges read from the tickets, added up. */
async function countsOver(db: Db, r: ReportRange, column: string, withSub: boolean): Promise<KeyCount[]> {
  const split = splitRange(r);
  const parts = await Promise.all([
    ...(split.days ? [rolledCounts(db, split.days, r.departments, column, withSub)] : []),
    ...split.edges.map((e) => scanCounts(db, e, r.departments, column, withSub)),
  ]);
  const out = new Map<string, KeyCount>();
  for (const x of parts.flat()) {
    const k = JSON.stringify([x.key, x.sub]);
    const had = out.get(k);
    if (had) [had.count, had.active] = [had.count + x.count, had.active + x.active];
    else out.set(k, { ...x });
  }
  return [...out.values()].filter((x) => x.count > 0);
}

/** Open and in-progress tickets now, per handler (null: unassigned): how many, and how many overdue. */
export type ActiveNow = Map<string | null, { active: number; overdue: number }>;

/**
 * One pass over the active tickets' entries in Ticket_load_idx, shared by the backlog and the handlers'
 * load of a digest. Grouped by status too, so the index yields each status's rows in handler order and
 * no temporary B-tree is built over 100k active tickets; the two statuses are added up here.
 */
export async function activeNow(db: Db, r: Pick<ReportRange, "now" | "departments">): Promise<ActiveNow> {
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT t.handlerId AS h, COUNT(*) AS active, ${flag(overdueNow(r.now))} AS overdue FROM "Ticket" t
      WHERE t.status IN ('open','in_progress')${scope(r as ReportRange)} GROUP BY t.status, t.handlerId`,
  );
  const out: ActiveNow = new Map();
  for (const x of rows) {
    const h = x.h === null || x.h === undefined ? null : String(x.h);
    const had = out.get(h) ?? { active: 0, overdue: 0 };
    out.set(h, { active: had.active + num(x.active), overdue: had.overdue + num(x.overdue) });
  }
  return out;
}

/** Open work right now (not limited to a period). */
export async function backlogNow(
  db: Db,
  r: Pick<ReportRange, "now" | "departments">,
  active: Promise<ActiveNow> = activeNow(db, r),
): Promise<{ active: number; overdue: number; unassigned: number }> {
  const out = { active: 0, overdue: 0, unassigned: 0 };
  for (const [h, x] of await active) {
    out.active += x.active;
    out.overdue += x.overdue;
    if (h === null) out.unassigned += x.active;
  }
  return out;
}

export interface Bucket {
  start: Date;
  end: Date;
}

export interface BucketFigures {
  received: number;
  /** Tickets resolved during the bucket, whenever received. */
  solved: number;
  responseDue: number;
  responseOnTime: number;
  resolutionDue: number;
  resolutionOnTime: number;
  ratings: number;
  avgSatisfaction: number | null;
}

const bucketsCte = (buckets: Bucket[]) =>
  sql`WITH b AS (SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$[0]') AS s, json_extract(value, '$[1]') AS e FROM json_each(${JSON.stringify(buckets.map((x) => [sqlTime(x.start), sqlTime(x.end)]))}))`;

/** Per-bucket series (one JSON parameter carries the buckets, so any number of them binds once). */
export async function reportSeries(db: Db, buckets: Bucket[], r: Omit<ReportRange, "start" | "end">): Promise<BucketFigures[]> {
  if (!buckets.length) return [];
  const rr = r as ReportRange;
  const has = (c: Sql) => sql`SUM(CASE WHEN t.id IS NOT NULL AND ${c} THEN 1 ELSE 0 END)`;
  const [byReceipt, bySolved, byRating] = await Promise.all([
    run<Record<string, unknown>>(
      db,
      sql`${bucketsCte(buckets)} SELECT b.i AS i, COUNT(t.id) AS received,
        ${has(respDue(r.now))} AS responseDue, ${has(respOk)} AS responseOnTime,
        ${has(resDue(r.now))} AS resolutionDue, ${has(resOk)} AS resolutionOnTime
        FROM b LEFT JOIN "Ticket" t ON t.receivedAt >= b.s AND t.receivedAt < b.e${scope(rr)}
        GROUP BY b.i`,
    ),
    run<Record<string, unknown>>(
      db,
      sql`${bucketsCte(buckets)} SELECT b.i AS i, COUNT(t.id) AS solved
        FROM b LEFT JOIN "Ticket" t ON t.resolvedAt >= b.s AND t.resolvedAt < b.e${scope(rr)}
        GROUP BY b.i`,
    ),
    // The latest rating of each ticket within the bucket.
    run<Record<string, unknown>>(
      db,
      sql`${bucketsCte(buckets)} SELECT b.i AS i, COUNT(s.id) AS ratings, AVG(s.score) AS avg
        FROM b LEFT JOIN "Satisfaction" s ON s.at >= b.s AND s.at < b.e
          AND s.id = (SELECT MAX(s2.id) FROM "Satisfaction" s2 WHERE s2.ticketId = s.ticketId AND s2.at >= b.s AND s2.at < b.e)
          AND EXISTS (SELECT 1 FROM "Ticket" t WHERE t.id = s.ticketId${scope(rr)})
        GROUP BY b.i`,
    ),
  ]);
  const at = (rows: Record<string, unknown>[], i: number) => rows.find((x) => num(x.i) === i) ?? {};
  return buckets.map((_, i) => {
    const a = at(byReceipt, i);
    const s = at(bySolved, i);
    const g = at(byRating, i);
    return {
      received: num(a.received),
      solved: num(s.solved),
      responseDue: num(a.responseDue),
      responseOnTime: num(a.responseOnTime),
      resolutionDue: num(a.resolutionDue),
      resolutionOnTime: num(a.resolutionOnTime),
      ratings: num(g.ratings),
      avgSatisfaction: numOrNull(g.avg),
    };
  });
}

export interface CountRow {
  key: string | null;
  count: number;
}

const BREAKDOWN_COLUMNS = ["category", "department", "channel", "priority", "status", "customerTier", "platform"] as const;
export type BreakdownColumn = (typeof BREAKDOWN_COLUMNS)[number];

/** SQLite's order of keys: NULL first, then the text. */
const byKey = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** Tickets received in the range, counted by one column. */
export async function breakdown(db: Db, r: ReportRange, column: BreakdownColumn): Promise<CountRow[]> {
  if (!BREAKDOWN_COLUMNS.includes(column)) throw new Error(`not a breakdown column: ${column}`);
  const rows = await countsOver(db, r, column, false);
  return rows.map((x) => ({ key: x.key, count: x.count })).sort((a, b) => b.count - a.count || byKey(a.key, b.key));
}

export interface ProblemRow {
  category: string;
  subCategory: string | null;
  count: number;
  active: number;
  /** The most recent ticket of the group, as an example. */
  latestNumber: string;
  latestTitle: string;
}

/**
 * Recurring problems (高频问题): tickets grouped by category and sub-category, largest first. Counts from
 * the rollups; the example is the newest ticket received of the group (read for the groups shown only).
 */
export async function topProblems(db: Db, r: ReportRange, limit = 5): Promise<ProblemRow[]> {
  const groups = (await countsOver(db, r, "category", true)).sort((a, b) => b.count - a.count);
  // Groups tied with the last one shown are ordered by their newest ticket: read those too.
  const cut = groups[limit - 1]?.count ?? 0;
  const shown = groups.filter((g, i) => i < limit || g.count >= cut);
  const latest = await Promise.all(
    shown.map(async (g) => {
      const [x] = await run<Record<string, unknown>>(
        db,
        sql`SELECT t.number AS number, t.title AS title FROM "Ticket" t WHERE t.category = ${g.key} AND t.subCategory IS ${g.sub} AND ${inRange("receivedAt", r.start, r.end)}${scope(r)}
          ORDER BY t.receivedAt DESC, t.number DESC LIMIT 1`,
      );
      return { g, number: String(x?.number ?? ""), title: String(x?.title ?? "") };
    }),
  );
  return latest
    .sort((a, b) => b.g.count - a.g.count || (a.number < b.number ? 1 : a.number > b.number ? -1 : 0))
    .slice(0, limit)
    .map(({ g, number, title }) => ({ category: String(g.key), subCategory: g.sub, count: g.count, active: g.active, latestNumber: number, latestTitle: title }));
}

export interface HandlerLoadRow {
  handlerId: string;
  /** Received in the range and assigned to this handler. */
  received: number;
  /** Resolved in the range. */
  solved: number;
  /** Open or in progress now. */
  active: number;
  overdue: number;
  avgSatisfaction: number | null;
}

/** Per handler: received and solved in the range (rollups and edges), active and overdue now. */
export async function handlerLoad(db: Db, r: ReportRange, active: Promise<ActiveNow> = activeNow(db, r)): Promise<HandlerLoadRow[]> {
  const split = splitRange(r);
  const [parts, now] = await Promise.all([
    Promise.all([...(split.days ? [rolledHandlers(db, split.days, r.departments)] : []), ...split.edges.map((e) => scanHandlers(db, e, r.departments))]),
    active,
  ]);
  const sum = new Map<string, HandlerParts & { active: number; overdue: number }>();
  const at = (h: string) => sum.get(h) ?? sum.set(h, { received: 0, solved: 0, satisfactionSum: 0, satisfactionCount: 0, active: 0, overdue: 0 }).get(h)!;
  for (const m of parts) for (const [h, p] of m) {
    const x = at(h);
    x.received += p.received;
    x.solved += p.solved;
    x.satisfactionSum += p.satisfactionSum;
    x.satisfactionCount += p.satisfactionCount;
  }
  for (const [h, x] of now) if (h !== null) Object.assign(at(h), x);
  return [...sum]
    .filter(([, x]) => x.active > 0 || x.received > 0 || x.solved > 0)
    .map(([handlerId, x]) => ({ handlerId, received: x.received, solved: x.solved, active: x.active, overdue: x.overdue, avgSatisfaction: x.satisfactionCount ? x.satisfactionSum / x.satisfactionCount : null }))
    .sort((a, b) => b.active - a.active || b.received - a.received || (a.handlerId < b.handlerId ? -1 : a.handlerId > b.handlerId ? 1 : 0));
}

export interface SatisfactionFigures {
  /** Count per score 1..5 (index 0 = score 1). */
  distribution: [number, number, number, number, number];
  ratings: number;
  average: number | null;
  /** Ratings of 1–2, newest first. */
  unsatisfied: { number: string; title: string; score: number; comment: string | null; handlerId: string | null; at: Date }[];
}

/** The latest rating of each ticket rated in the range. */
export async function satisfaction(db: Db, r: ReportRange, listLimit = 20): Promise<SatisfactionFigures> {
  const latest = sql`s.at >= ${sqlTime(r.start)} AND s.at < ${sqlTime(r.end)}
    AND s.id = (SELECT MAX(s2.id) FROM "Satisfaction" s2 WHERE s2.ticketId = s.ticketId AND s2.at >= ${sqlTime(r.start)} AND s2.at < ${sqlTime(r.end)})${scope(r)}`;
  const [dist, low] = await Promise.all([
    run<Record<string, unknown>>(db, sql`SELECT s.score AS score, COUNT(*) AS n FROM "Satisfaction" s JOIN "Ticket" t ON t.id = s.ticketId WHERE ${latest} GROUP BY s.score`),
    run<Record<string, unknown>>(
      db,
      sql`SELECT t.number AS number, t.title AS title, s.score AS score, s.comment AS comment, t.handlerId AS handlerId, s.at AS at
        FROM "Satisfaction" s JOIN "Ticket" t ON t.id = s.ticketId WHERE ${latest} AND s.score <= 2 ORDER BY s.at DESC, s.id DESC LIMIT ${listLimit}`,
    ),
  ]);
  const distribution: SatisfactionFigures["distribution"] = [0, 0, 0, 0, 0];
  for (const d of dist) {
    const score = num(d.score);
    if (score >= 1 && score <= 5) distribution[score - 1] = num(d.n);
  }
  const ratings = distribution.reduce((a, b) => a + b, 0);
  const sum = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
  return {
    distribution,
    ratings,
    average: ratings ? sum / ratings : null,
    unsatisfied: low.map((x) => ({
      number: String(x.number),
      title: String(x.title),
      score: num(x.score),
      comment: (x.comment as string | null) ?? null,
      handlerId: (x.handlerId as string | null) ?? null,
      at: x.at instanceof Date ? x.at : new Date(String(x.at)),
    })),
  };
}

export interface DueLine {
  number: string;
  title: string;
  priority: string;
  handlerId: string | null;
  /** Which deadline: the response while none was given, else the resolution. */
  deadline: "response" | "resolution";
  due: Date;
}

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dueLine = (x: Record<string, unknown>): DueLine => ({
  number: String(x.number),
  title: String(x.title ?? ""),
  priority: String(x.priority),
  handlerId: (x.handlerId as string | null) ?? null,
  deadline: x.deadline === "response" ? "response" : "resolution",
  due: toDate(x.due),
});

/** Active tickets with a deadline in [start, end) (the daily digest's "due today"), soonest first. */
export async function dueTickets(
  db: Db,
  r: { start: Date; end: Date; departments?: string[] },
  limit = 10,
): Promise<{ total: number; rows: DueLine[] }> {
  const [s, e] = [sqlTime(r.start), sqlTime(r.end)];
  const resp = sql`(t.firstResponseAt IS NULL AND t.responseDueAt >= ${s} AND t.responseDueAt < ${e})`;
  const where = sql`t.status IN ('open','in_progress') AND (${resp} OR (t.resolutionDueAt >= ${s} AND t.resolutionDueAt < ${e}))${scope(r as ReportRange)}`;
  return dueList(db, where, resp, limit);
}

/** How many tickets match, and the first `limit` by the deadline that puts them on the list (`byResponse`: the response one). */
async function dueList(db: Db, where: Sql, byResponse: Sql, limit: number): Promise<{ total: number; rows: DueLine[] }> {
  const [count, rows] = await Promise.all([
    run<{ n: unknown }>(db, sql`SELECT COUNT(*) AS n FROM "Ticket" t WHERE ${where}`),
    run<Record<string, unknown>>(
      db,
      sql`SELECT t.number AS number, t.title AS title, t.priority AS priority, t.handlerId AS handlerId,
          CASE WHEN ${byResponse} THEN 'response' ELSE 'resolution' END AS deadline,
          CASE WHEN ${byResponse} THEN t.responseDueAt ELSE t.resolutionDueAt END AS due
        FROM "Ticket" t WHERE ${where} ORDER BY due, t.id LIMIT ${limit}`,
    ),
  ]);
  return { total: num(count[0]?.n), rows: rows.map(dueLine) };
}

/** Active tickets overdue now (the same rule as backlogNow's overdue count), longest overdue first. */
export async function overdueTickets(db: Db, r: { now: Date; departments?: string[] }, limit = 10): Promise<{ total: number; rows: DueLine[] }> {
  const now = sqlTime(r.now);
  const where = sql`${overdueNow(r.now)}${scope(r as ReportRange)}`;
  // Past its resolution deadline → listed by that one; otherwise it is the response that is late.
  return dueList(db, where, sql`NOT (t.resolutionDueAt < ${now})`, limit);
}

export interface SolvedSpan {
  priority: string;
  receivedAt: Date;
  resolvedAt: Date;
  /** The stored JSON list of finished waiting stretches. */
  pauses: string;
  waitingSince: Date | null;
}

/**
 * The tickets resolved in [start, end), with what their waiting and working minutes need. Raw SQL: over a
 * month of a busy desk (10,000 rows) Prisma's findMany took twice as long for the same columns.
 */
export async function solvedSpans(db: Db, r: Pick<ReportRange, "start" | "end" | "departments">): Promise<SolvedSpan[]> {
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT t.priority AS p, t.receivedAt AS a, t.resolvedAt AS b, t.pauses AS w, t.waitingSince AS s FROM "Ticket" t WHERE${inRange("resolvedAt", r.start, r.end)}${scope(r)}`,
  );
  return rows.map((x) => ({ priority: String(x.p), receivedAt: toDate(x.a), resolvedAt: toDate(x.b), pauses: String(x.w ?? "[]"), waitingSince: x.s === null || x.s === undefined ? null : toDate(x.s) }));
}
