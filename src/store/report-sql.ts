// The SQL pieces the report queries share (store/reports.ts, report-scan.ts, report-rollup.ts). Plain
// SQLite SQL: runs on better-sqlite3 and on D1. Times are compared as the ISO text Prisma stores
// ("…T01:02:03.000+00:00"), like Prisma's own filters.
import type { Db } from "./db.js";
import { sqlTime } from "./db.js";

export type Param = string | number | null;
export interface Sql {
  text: string;
  params: Param[];
}

/** sql`… ${value} … ${fragment}`: values become bound parameters, Sql fragments are spliced in. */
export function sql(strings: TemplateStringsArray, ...vals: (Param | Sql)[]): Sql {
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
export const raw = (text: string): Sql => ({ text, params: [] });

export const run = <T>(db: Db, q: Sql) => db.$queryRawUnsafe<T[]>(q.text, ...q.params);

export { sqlTime } from "./db.js";

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** `alias.department` limited to these departments (undefined = all). */
export const scopeOf = (departments: string[] | undefined, alias = "t"): Sql =>
  departments ? sql` AND ${raw(alias)}.department IN (SELECT value FROM json_each(${JSON.stringify(departments)}))` : sql``;

export const inRange = (col: "receivedAt" | "resolvedAt", start: Date, end: Date): Sql => sql` t.${raw(col)} >= ${sqlTime(start)} AND t.${raw(col)} < ${sqlTime(end)}`;
export const flag = (cond: Sql) => sql`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;

export const ACTIVE = sql`('open','in_progress')`;
/** Statuses whose deadlines still count (not rejected / merged). */
export const KEPT = sql`('open','in_progress','resolved','closed')`;

/** Whole milliseconds from receipt to `to` (as the rollup triggers compute them). */
export const MS = (to: string) => `CAST(round((julianday(t.${to}) - julianday(t.receivedAt)) * 86400000) AS INTEGER)`;
/** The histogram bucket of minutes from receipt to `to`: 3 significant digits (RollupHistogram.lo). */
export function bucketLo(to: string): string {
  const x = `(max(0, ${MS(to)}) / 60000)`;
  const p = `CAST(substr('1000000000000', 1, max(length(CAST(${x} AS TEXT)) - 2, 1)) AS INTEGER)`;
  return `(${x} / ${p}) * ${p}`;
}
