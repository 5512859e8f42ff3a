// Report figures read from the digest rollups (migration digest_rollups) for whole rollup days: a few
// small rows per day instead of every ticket. The same figures as report-scan.ts over the same tickets.
import type { Db } from "./db.js";
import { KEPT, num, raw, run, scopeOf, sql, sqlTime, type Sql } from "./report-sql.js";
import { NO_PARTS, type HandlerParts, type KeyCount, type SummaryParts } from "./report-scan.js";
import { rollupDay, rollupDayStart, type RangeSplit } from "./rollup-days.js";

export type Days = NonNullable<RangeSplit["days"]>;

const onDays = (d: Days, departments?: string[]): Sql => sql`r.day >= ${d.from} AND r.day < ${d.to}${scopeOf(departments, "r")}`;
const sumIf = (cond: string, of = "r.n") => raw(`SUM(CASE WHEN ${cond} THEN ${of} ELSE 0 END)`);

export async function rolledSummary(db: Db, d: Days, now: Date, departments?: string[]): Promise<SummaryParts> {
  const [[row], respPending, resPending] = await Promise.all([
    run<Record<string, unknown>>(
      db,
      sql`SELECT SUM(r.n) AS received, ${sumIf("r.status IN ('resolved','closed')")} AS solved, ${sumIf("r.status IN ('open','in_progress')")} AS active,
        ${sumIf("r.status IN ('rejected','merged')")} AS dropped, SUM(r.answered) AS answered, SUM(r.answeredOnTime) AS responseOnTime,
        ${sumIf("r.status NOT IN ('rejected','merged')", "r.resolved")} AS resolvedKept, SUM(r.resolvedOnTime) AS resolutionOnTime,
        SUM(r.responseMs) AS responseMs, SUM(r.resolved) AS resolved, SUM(r.resolutionMs) AS resolutionMs
      FROM "RollupDay" r WHERE ${onDays(d, departments)}`,
    ),
    pendingDue(db, d, now, departments, "response"),
    pendingDue(db, d, now, departments, "resolution"),
  ]);
  if (!row) return { ...NO_PARTS };
  return {
    received: num(row.received),
    solved: num(row.solved),
    active: num(row.active),
    dropped: num(row.dropped),
    responseDue: num(row.answered) + respPending,
    responseOnTime: num(row.responseOnTime),
    resolutionDue: num(row.resolvedKept) + resPending,
    resolutionOnTime: num(row.resolutionOnTime),
    answered: num(row.answered),
    responseMs: num(row.responseMs),
    resolved: num(row.resolved),
    resolutionMs: num(row.resolutionMs),
  };
}

/**
 * Tickets of these days still owing a response / resolution whose deadline has passed at `now`: those due
 * on an earlier day from the rollup, those due earlier today from "Ticket" (a day's deadlines at most).
 */
async function pendingDue(db: Db, d: Days, now: Date, departments: string[] | undefined, kind: "response" | "resolution"): Promise<number> {
  const [due, open] = kind === "response" ? ["responseDueAt", "firstResponseAt"] : ["resolutionDueAt", "resolvedAt"];
  const [[a], [b]] = await Promise.all([
    run<{ n: unknown }>(db, sql`SELECT SUM(r.n) AS n FROM "RollupPending" r WHERE ${onDays(d, departments)} AND r.kind = ${kind} AND r.dueDay < ${rollupDay(now)}`),
    run<{ n: unknown }>(
      db,
      sql`SELECT COUNT(*) AS n FROM "Ticket" t WHERE t.status IN ${KEPT} AND t.${raw(due!)} >= ${sqlTime(rollupDayStart(now))} AND t.${raw(due!)} < ${sqlTime(now)}
        AND t.${raw(open!)} IS NULL AND t.receivedAt >= ${sqlTime(d.start)} AND t.receivedAt < ${sqlTime(d.end)}${scopeOf(departments)}`,
    ),
  ]);
  return num(a?.n) + num(b?.n);
}

export async function rolledHistograms(db: Db, d: Days, departments?: string[]): Promise<{ response: [number, number][]; resolution: [number, number][] }> {
  const rows = await run<{ k: string; lo: unknown; n: unknown }>(db, sql`SELECT r.kind AS k, r.lo AS lo, SUM(r.n) AS n FROM "RollupHistogram" r WHERE ${onDays(d, departments)} GROUP BY 1, 2`);
  const of = (k: string) => rows.filter((x) => x.k === k).map((x): [number, number] => [num(x.lo), num(x.n)]);
  return { response: of("response"), resolution: of("resolution") };
}

/** Columns kept in RollupDay (the rest are RollupCount dimensions). */
const DAY_COLUMNS = new Set(["department", "status"]);
const orNull = (v: unknown) => (v === "" || v === null || v === undefined ? null : String(v));

export async function rolledCounts(db: Db, d: Days, departments: string[] | undefined, column: string, withSub: boolean): Promise<KeyCount[]> {
  if (DAY_COLUMNS.has(column)) {
    const rows = await run<Record<string, unknown>>(
      db,
      sql`SELECT r.${raw(column)} AS k, SUM(r.n) AS n, ${sumIf("r.status IN ('open','in_progress')")} AS a FROM "RollupDay" r WHERE ${onDays(d, departments)} GROUP BY 1`,
    );
    return rows.map((x) => ({ key: String(x.k), sub: null, count: num(x.n), active: num(x.a) }));
  }
  const rows = await run<Record<string, unknown>>(
    db,
    sql`SELECT r.key AS k, ${raw(withSub ? "r.sub" : "''")} AS s, SUM(r.n) AS n, SUM(r.active) AS a FROM "RollupCount" r
      WHERE r.dim = ${column} AND ${onDays(d, departments)} GROUP BY 1, 2`,
  );
  return rows.map((x) => ({ key: orNull(x.k), sub: orNull(x.s), count: num(x.n), active: num(x.a) }));
}

/** Per handler: received on these days (RollupCount) and resolved on them (RollupSolved). */
export async function rolledHandlers(db: Db, d: Days, departments?: string[]): Promise<Map<string, HandlerParts>> {
  const [rec, sol] = await Promise.all([
    run<Record<string, unknown>>(db, sql`SELECT r.key AS h, SUM(r.n) AS n FROM "RollupCount" r WHERE r.dim = 'handlerId' AND r.key <> '' AND ${onDays(d, departments)} GROUP BY 1`),
    run<Record<string, unknown>>(
      db,
      sql`SELECT r.handlerId AS h, SUM(r.n) AS n, SUM(r.satisfactionSum) AS s, SUM(r.satisfactionCount) AS c FROM "RollupSolved" r WHERE r.handlerId <> '' AND ${onDays(d, departments)} GROUP BY 1`,
    ),
  ]);
  const out = new Map<string, HandlerParts>();
  const at = (h: unknown) => out.get(String(h)) ?? out.set(String(h), { received: 0, solved: 0, satisfactionSum: 0, satisfactionCount: 0 }).get(String(h))!;
  for (const x of rec) at(x.h).received += num(x.n);
  for (const x of sol) Object.assign(at(x.h), { solved: num(x.n), satisfactionSum: num(x.s), satisfactionCount: num(x.c) });
  return out;
}
