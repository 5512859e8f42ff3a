// Report figures counted straight from "Ticket": the parts of a range the digest rollups do not cover
// (store/rollup-days.ts), and ranges shorter than a rollup day. The same figures as report-rollup.ts.
import type { Db } from "./db.js";
import { ACTIVE, bucketLo, flag, inRange, MS, num, numOrNull, raw, run, scopeOf, sql, sqlTime, type Sql } from "./report-sql.js";
import type { TimeRange } from "./rollup-days.js";

/** The counts a report summary shows as they are (reports.ts ReportSummary). */
export interface SummaryCounts {
  received: number;
  /** Resolved or closed (问题解决率 numerator). */
  solved: number;
  active: number;
  dropped: number;
  responseDue: number;
  responseOnTime: number;
  resolutionDue: number;
  resolutionOnTime: number;
}

/** Counts and sums over the tickets received in a range; adding two gives the figures of both. */
export interface SummaryParts extends SummaryCounts {
  answered: number;
  responseMs: number;
  resolved: number;
  resolutionMs: number;
}

export const NO_PARTS: SummaryParts = { received: 0, solved: 0, active: 0, dropped: 0, responseDue: 0, responseOnTime: 0, resolutionDue: 0, resolutionOnTime: 0, answered: 0, responseMs: 0, resolved: 0, resolutionMs: 0 };

export const addParts = (a: SummaryParts, b: SummaryParts): SummaryParts =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof SummaryParts] + b[k as keyof SummaryParts]])) as unknown as SummaryParts;

// SLA: a response is due once given or once its deadline passed; rejected / merged tickets without
// an answer are out of the measure. The same for resolution.
const respDue = (now: Date) => sql`(t.firstResponseAt IS NOT NULL OR (t.responseDueAt < ${sqlTime(now)} AND t.status NOT IN ('rejected','merged')))`;
const respOk = sql`(t.firstResponseAt IS NOT NULL AND t.firstResponseAt <= t.responseDueAt)`;
const resDue = (now: Date) => sql`(t.status NOT IN ('rejected','merged') AND (t.resolvedAt IS NOT NULL OR t.resolutionDueAt < ${sqlTime(now)}))`;
const resOk = sql`(t.resolvedAt IS NOT NULL AND t.resolvedAt <= t.resolutionDueAt)`;
const received = (r: TimeRange, departments?: string[]) => sql`${inRange("receivedAt", r.start, r.end)}${scopeOf(departments)}`;

export async function scanSummary(db: Db, r: TimeRange, now: Date, departments?: string[]): Promise<SummaryParts> {
  const [row] = await run<Record<string, unknown>>(
    db,
    sql`SELECT COUNT(*) AS received,
      ${flag(sql`t.status IN ('resolved','closed')`)} AS solved, ${flag(sql`t.status IN ${ACTIVE}`)} AS active,
      ${flag(sql`t.status IN ('rejected','merged')`)} AS dropped,
      ${flag(respDue(now))} AS responseDue, ${flag(respOk)} AS responseOnTime,
      ${flag(resDue(now))} AS resolutionDue, ${flag(resOk)} AS resolutionOnTime,
      ${flag(sql`t.firstResponseAt IS NOT NULL`)} AS answered, SUM(${raw(MS("firstResponseAt"))}) AS responseMs,
      ${flag(sql`t.resolvedAt IS NOT NULL`)} AS resolved, SUM(${raw(MS("resolvedAt"))}) AS resolutionMs
    FROM "Ticket" t WHERE ${received(r, departments)}`,
  );
  const out = { ...NO_PARTS };
  for (const k of Object.keys(out) as (keyof SummaryParts)[]) out[k] = num(row?.[k]);
  return out;
}

/** Minutes from receipt to the response / resolution in the rollups' buckets. */
export async function scanHistogram(db: Db, r: TimeRange, departments: string[] | undefined, col: "firstResponseAt" | "resolvedAt"): Promise<[number, number][]> {
  const rows = await run<{ lo: unknown; n: unknown }>(
    db,
    sql`SELECT ${raw(bucketLo(col))} AS lo, COUNT(*) AS n FROM "Ticket" t WHERE ${received(r, departments)} AND t.${raw(col)} IS NOT NULL GROUP BY 1`,
  );
  return rows.map((x) => [num(x.lo), num(x.n)]);
}

/** Exact nearest-rank 90th percentile of minutes from receipt to `col` (ranges the rollups do not reach). */
export async function scanP90(db: Db, r: TimeRange, departments: string[] | undefined, col: "firstResponseAt" | "resolvedAt"): Promise<number | null> {
  const where: Sql = received(r, departments);
  const [row] = await run<{ v: unknown }>(
    db,
    sql`SELECT MIN(m) AS v FROM (
      SELECT m, ROW_NUMBER() OVER (ORDER BY m) AS rn, COUNT(*) OVER () AS n FROM (
        SELECT (julianday(t.${raw(col)}) - julianday(t.receivedAt)) * 1440 AS m FROM "Ticket" t WHERE ${where} AND t.${raw(col)} IS NOT NULL))
      WHERE rn >= 0.9 * n`,
  );
  return numOrNull(row?.v);
}

export interface KeyCount {
  key: string | null;
  sub: string | null;
  count: number;
  active: number;
}

/** Tickets received in the range by one column (and the sub-category for "category"). */
export async function scanCounts(db: Db, r: TimeRange, departments: string[] | undefined, column: string, withSub: boolean): Promise<KeyCount[]> {
  const col = raw(`t."${column}"`);
  const sub = raw(withSub ? `t."subCategory"` : "NULL");
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT ${col} AS k, ${sub} AS s, COUNT(*) AS n, ${flag(sql`t.status IN ${ACTIVE}`)} AS a FROM "Ticket" t WHERE ${received(r, departments)} GROUP BY 1, 2`,
  );
  return rows.map((x) => ({ key: (x.k as string | null) ?? null, sub: (x.s as string | null) ?? null, count: num(x.n), active: num(x.a) }));
}

export interface HandlerParts {
  received: number;
  solved: number;
  satisfactionSum: number;
  satisfactionCount: number;
}

/** Per handler: tickets received in the range, and resolved in it with their satisfaction. */
export async function scanHandlers(db: Db, r: TimeRange, departments?: string[]): Promise<Map<string, HandlerParts>> {
  const [rec, sol] = await Promise.all([
    run<Record<string, unknown>>(db, sql`SELECT t.handlerId AS h, COUNT(*) AS n FROM "Ticket" t WHERE t.handlerId IS NOT NULL AND ${received(r, departments)} GROUP BY 1`),
    run<Record<string, unknown>>(
      db,
      sql`SELECT t.handlerId AS h, COUNT(*) AS n, SUM(t.satisfaction) AS s, COUNT(t.satisfaction) AS c FROM "Ticket" t
        WHERE t.handlerId IS NOT NULL AND ${inRange("resolvedAt", r.start, r.end)}${scopeOf(departments)} GROUP BY 1`,
    ),
  ]);
  const out = new Map<string, HandlerParts>();
  const at = (h: unknown) => out.get(String(h)) ?? out.set(String(h), { received: 0, solved: 0, satisfactionSum: 0, satisfactionCount: 0 }).get(String(h))!;
  for (const x of rec) at(x.h).received += num(x.n);
  for (const x of sol) Object.assign(at(x.h), { solved: num(x.n), satisfactionSum: num(x.s), satisfactionCount: num(x.c) });
  return out;
}
