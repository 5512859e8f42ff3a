// Report figures (digests, /stats, console, exports) as SQL aggregates over the tickets, so a report
// over a year of tickets never loads them. Plain SQLite SQL: runs on better-sqlite3 and on D1.
// Times are compared as the ISO text Prisma stores ("…T01:02:03.000+00:00"), like Prisma's own filters.
import type { Db } from "./db.js";

type Param = string | number | null;
interface Sql {
  text: string;
  params: Param[];
}

/** sql`… ${value} … ${fragment}`: values become bound parameters, Sql fragments are spliced in. */
function sql(strings: TemplateStringsArray, ...vals: (Param | Sql)[]): Sql {
  let text = strings[0]!;
  const params: Param[] = [];
  vals.forEach((v, i) => {
    if (v !== null && typeof v === "object") {
      text += v.text;
      params.push(...v.params);
    } else {
      text += "?";
      params.push(v);
    }
    text += strings[i + 1]!;
  });
  return { text, params };
}

/** Trusted SQL text (column names from a fixed list), never user input. */
const raw = (text: string): Sql => ({ text, params: [] });

const run = <T>(db: Db, q: Sql) => db.$queryRawUnsafe<T[]>(q.text, ...q.params);

/** The text form Prisma's SQLite adapters store for a DateTime. */
export const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface ReportRange {
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Deadlines are judged at this instant for tickets not yet answered / resolved. */
  now: Date;
  /** Limit to these departments; undefined = all. */
  departments?: string[];
}

const scope = (r: ReportRange): Sql =>
  r.departments ? sql` AND t.department IN (SELECT value FROM json_each(${JSON.stringify(r.departments)}))` : sql``;
const inRange = (col: "receivedAt" | "resolvedAt", start: Date, end: Date): Sql => sql` t.${raw(col)} >= ${sqlTime(start)} AND t.${raw(col)} < ${sqlTime(end)}`;

// SLA: a response is due once given or once its deadline passed; rejected / merged tickets without
// an answer are out of the measure. The same for resolution.
const respDue = (now: Date) => sql`(t.firstResponseAt IS NOT NULL OR (t.responseDueAt < ${sqlTime(now)} AND t.status NOT IN ('rejected','merged')))`;
const respOk = sql`(t.firstResponseAt IS NOT NULL AND t.firstResponseAt <= t.responseDueAt)`;
const resDue = (now: Date) => sql`(t.status NOT IN ('rejected','merged') AND (t.resolvedAt IS NOT NULL OR t.resolutionDueAt < ${sqlTime(now)}))`;
const resOk = sql`(t.resolvedAt IS NOT NULL AND t.resolvedAt <= t.resolutionDueAt)`;
const flag = (cond: Sql) => sql`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
const overdueNow = (now: Date) =>
  sql`(t.status IN ('open','in_progress') AND (t.responseOverdue = 1 OR t.resolutionOverdue = 1 OR (t.firstResponseAt IS NULL AND t.responseDueAt < ${sqlTime(now)}) OR t.resolutionDueAt < ${sqlTime(now)}))`;
const MINUTES = (to: string) => `(julianday(t.${to}) - julianday(t.receivedAt)) * 1440`;

export interface ReportSummary {
  received: number;
  /** Resolved or closed (问题解决率 numerator). */
  solved: number;
  active: number;
  dropped: number;
  responseDue: number;
  responseOnTime: number;
  resolutionDue: number;
  resolutionOnTime: number;
  /** Calendar minutes from receipt; null when nothing was answered / resolved. */
  avgResponseMinutes: number | null;
  avgResolutionMinutes: number | null;
  p90ResponseMinutes: number | null;
  p90ResolutionMinutes: number | null;
}

/** Figures over the tickets received in the range. */
export async function reportSummary(db: Db, r: ReportRange): Promise<ReportSummary> {
  const where = sql`${inRange("receivedAt", r.start, r.end)}${scope(r)}`;
  const [row] = await run<Record<string, unknown>>(
    db,
    sql`SELECT COUNT(*) AS received,
      ${flag(sql`t.status IN ('resolved','closed')`)} AS solved,
      ${flag(sql`t.status IN ('open','in_progress')`)} AS active,
      ${flag(sql`t.status IN ('rejected','merged')`)} AS dropped,
      ${flag(respDue(r.now))} AS responseDue, ${flag(respOk)} AS responseOnTime,
      ${flag(resDue(r.now))} AS resolutionDue, ${flag(resOk)} AS resolutionOnTime,
      AVG(CASE WHEN t.firstResponseAt IS NOT NULL THEN ${raw(MINUTES("firstResponseAt"))} END) AS avgResponse,
      AVG(CASE WHEN t.resolvedAt IS NOT NULL THEN ${raw(MINUTES("resolvedAt"))} END) AS avgResolution
    FROM "Ticket" t WHERE ${where}`,
  );
  const [p90Response, p90Resolution] = await Promise.all([p90(db, where, "firstResponseAt"), p90(db, where, "resolvedAt")]);
  return {
    received: num(row?.received),
    solved: num(row?.solved),
    active: num(row?.active),
    dropped: num(row?.dropped),
    responseDue: num(row?.responseDue),
    responseOnTime: num(row?.responseOnTime),
    resolutionDue: num(row?.resolutionDue),
    resolutionOnTime: num(row?.resolutionOnTime),
    avgResponseMinutes: numOrNull(row?.avgResponse),
    avgResolutionMinutes: numOrNull(row?.avgResolution),
    p90ResponseMinutes: p90Response,
    p90ResolutionMinutes: p90Resolution,
  };
}

/** Nearest-rank 90th percentile of minutes from receipt to `col`. */
async function p90(db: Db, where: Sql, col: "firstResponseAt" | "resolvedAt"): Promise<number | null> {
  const [row] = await run<{ v: unknown }>(
    db,
    sql`SELECT MIN(m) AS v FROM (
      SELECT m, ROW_NUMBER() OVER (ORDER BY m) AS rn, COUNT(*) OVER () AS n FROM (
        SELECT ${raw(MINUTES(col))} AS m FROM "Ticket" t WHERE ${where} AND t.${raw(col)} IS NOT NULL))
      WHERE rn >= 0.9 * n`,
  );
  return numOrNull(row?.v);
}

/** Open work right now (not limited to a period). */
export async function backlogNow(db: Db, r: Pick<ReportRange, "now" | "departments">): Promise<{ active: number; overdue: number; unassigned: number }> {
  const [row] = await run<Record<string, unknown>>(
    db,
    sql`SELECT COUNT(*) AS active, ${flag(overdueNow(r.now))} AS overdue, ${flag(sql`t.handlerId IS NULL`)} AS unassigned
      FROM "Ticket" t WHERE t.status IN ('open','in_progress')${scope(r as ReportRange)}`,
  );
  return { active: num(row?.active), overdue: num(row?.overdue), unassigned: num(row?.unassigned) };
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

/** Tickets received in the range, counted by one column. */
export async function breakdown(db: Db, r: ReportRange, column: BreakdownColumn): Promise<CountRow[]> {
  if (!BREAKDOWN_COLUMNS.includes(column)) throw new Error(`not a breakdown column: ${column}`);
  const col = raw(`t."${column}"`);
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT ${col} AS k, COUNT(*) AS n FROM "Ticket" t WHERE ${inRange("receivedAt", r.start, r.end)}${scope(r)} GROUP BY ${col} ORDER BY n DESC, k`,
  );
  return rows.map((x) => ({ key: (x.k as string | null) ?? null, count: num(x.n) }));
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

/** Recurring problems (高频问题): tickets grouped by category and sub-category, largest first. */
export async function topProblems(db: Db, r: ReportRange, limit = 5): Promise<ProblemRow[]> {
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT g.category AS category, g.subCategory AS subCategory, g.n AS n, g.active AS active, g.latest AS latest,
        (SELECT x.title FROM "Ticket" x WHERE x.number = g.latest) AS title
      FROM (SELECT t.category AS category, t.subCategory AS subCategory, COUNT(*) AS n,
              ${flag(sql`t.status IN ('open','in_progress')`)} AS active, MAX(t.number) AS latest
            FROM "Ticket" t WHERE ${inRange("receivedAt", r.start, r.end)}${scope(r)}
            GROUP BY t.category, t.subCategory) g
      ORDER BY g.n DESC, g.latest DESC LIMIT ${limit}`,
  );
  return rows.map((x) => ({
    category: String(x.category),
    subCategory: (x.subCategory as string | null) ?? null,
    count: num(x.n),
    active: num(x.active),
    latestNumber: String(x.latest),
    latestTitle: String(x.title ?? ""),
  }));
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

export async function handlerLoad(db: Db, r: ReportRange): Promise<HandlerLoadRow[]> {
  const received = inRange("receivedAt", r.start, r.end);
  const solved = inRange("resolvedAt", r.start, r.end);
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT t.handlerId AS h, ${flag(received)} AS received, ${flag(solved)} AS solved,
        ${flag(sql`t.status IN ('open','in_progress')`)} AS active, ${flag(overdueNow(r.now))} AS overdue,
        AVG(CASE WHEN ${solved} THEN t.satisfaction END) AS sat
      FROM "Ticket" t
      WHERE t.handlerId IS NOT NULL${scope(r)} AND (t.status IN ('open','in_progress') OR (${received}) OR (${solved}))
      GROUP BY t.handlerId ORDER BY active DESC, received DESC, h`,
  );
  return rows.map((x) => ({
    handlerId: String(x.h),
    received: num(x.received),
    solved: num(x.solved),
    active: num(x.active),
    overdue: num(x.overdue),
    avgSatisfaction: numOrNull(x.sat),
  }));
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
