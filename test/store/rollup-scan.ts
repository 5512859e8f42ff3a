// The report figures as store/reports.ts computed them before the digest rollups: one scan of "Ticket"
// per figure (kept here as the reference the rollup path must equal).
import type { Db } from "../../src/store/db.js";
import { sqlTime } from "../../src/store/reports.js";

export interface Range {
  start: Date;
  end: Date;
  now: Date;
  departments?: string[];
}

const q = <T>(db: Db, text: string, ...params: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...params);
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const nn = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function where(r: Range): [string, unknown[]] {
  const dept = r.departments ? ` AND t.department IN (SELECT value FROM json_each(?))` : "";
  return [`t.receivedAt >= ? AND t.receivedAt < ?${dept}`, [sqlTime(r.start), sqlTime(r.end), ...(r.departments ? [JSON.stringify(r.departments)] : [])]];
}

export async function oldSummary(db: Db, r: Range) {
  const [w, p] = where(r);
  const now = sqlTime(r.now);
  const [row] = await q<Record<string, unknown>>(
    db,
    `SELECT COUNT(*) AS received,
      SUM(CASE WHEN t.status IN ('resolved','closed') THEN 1 ELSE 0 END) AS solved,
      SUM(CASE WHEN t.status IN ('open','in_progress') THEN 1 ELSE 0 END) AS active,
      SUM(CASE WHEN t.status IN ('rejected','merged') THEN 1 ELSE 0 END) AS dropped,
      SUM(CASE WHEN (t.firstResponseAt IS NOT NULL OR (t.responseDueAt < ? AND t.status NOT IN ('rejected','merged'))) THEN 1 ELSE 0 END) AS responseDue,
      SUM(CASE WHEN (t.firstResponseAt IS NOT NULL AND t.firstResponseAt <= t.responseDueAt) THEN 1 ELSE 0 END) AS responseOnTime,
      SUM(CASE WHEN (t.status NOT IN ('rejected','merged') AND (t.resolvedAt IS NOT NULL OR t.resolutionDueAt < ?)) THEN 1 ELSE 0 END) AS resolutionDue,
      SUM(CASE WHEN (t.resolvedAt IS NOT NULL AND t.resolvedAt <= t.resolutionDueAt) THEN 1 ELSE 0 END) AS resolutionOnTime,
      AVG(CASE WHEN t.firstResponseAt IS NOT NULL THEN (julianday(t.firstResponseAt) - julianday(t.receivedAt)) * 1440 END) AS avgResponse,
      AVG(CASE WHEN t.resolvedAt IS NOT NULL THEN (julianday(t.resolvedAt) - julianday(t.receivedAt)) * 1440 END) AS avgResolution
    FROM "Ticket" t WHERE ${w}`,
    now,
    now,
    ...p,
  );
  const p90 = async (col: string) => {
    const [x] = await q<{ v: unknown }>(
      db,
      `SELECT MIN(m) AS v FROM (SELECT m, ROW_NUMBER() OVER (ORDER BY m) AS rn, COUNT(*) OVER () AS n FROM (
        SELECT (julianday(t.${col}) - julianday(t.receivedAt)) * 1440 AS m FROM "Ticket" t WHERE ${w} AND t.${col} IS NOT NULL)) WHERE rn >= 0.9 * n`,
      ...p,
    );
    return nn(x?.v);
  };
  return {
    received: n(row?.received),
    solved: n(row?.solved),
    active: n(row?.active),
    dropped: n(row?.dropped),
    responseDue: n(row?.responseDue),
    responseOnTime: n(row?.responseOnTime),
    resolutionDue: n(row?.resolutionDue),
    resolutionOnTime: n(row?.resolutionOnTime),
    avgResponseMinutes: nn(row?.avgResponse),
    avgResolutionMinutes: nn(row?.avgResolution),
    p90ResponseMinutes: await p90("firstResponseAt"),
    p90ResolutionMinutes: await p90("resolvedAt"),
  };
}

export async function oldBreakdown(db: Db, r: Range, column: string) {
  const [w, p] = where(r);
  const rows = await q<Record<string, unknown>>(db, `SELECT t."${column}" AS k, COUNT(*) AS n FROM "Ticket" t WHERE ${w} GROUP BY t."${column}" ORDER BY n DESC, k`, ...p);
  return rows.map((x) => ({ key: (x.k as string | null) ?? null, count: n(x.n) }));
}

export async function oldTopProblems(db: Db, r: Range, limit: number) {
  const [w, p] = where(r);
  const rows = await q<Record<string, unknown>>(
    db,
    `SELECT g.category AS category, g.subCategory AS subCategory, g.n AS n, g.active AS active, g.latest AS latest,
        (SELECT x.title FROM "Ticket" x WHERE x.number = g.latest) AS title
      FROM (SELECT t.category AS category, t.subCategory AS subCategory, COUNT(*) AS n,
              SUM(CASE WHEN t.status IN ('open','in_progress') THEN 1 ELSE 0 END) AS active, MAX(t.number) AS latest
            FROM "Ticket" t WHERE ${w} GROUP BY t.category, t.subCategory) g
      ORDER BY g.n DESC, g.latest DESC LIMIT ?`,
    ...p,
    limit,
  );
  return rows.map((x) => ({ category: String(x.category), subCategory: (x.subCategory as string | null) ?? null, count: n(x.n), active: n(x.active), latestNumber: String(x.latest), latestTitle: String(x.title ?? "") }));
}

export async function oldHandlerLoad(db: Db, r: Range) {
  const dept = r.departments ? ` AND t.department IN (SELECT value FROM json_each(?))` : "";
  const [s, e, now] = [sqlTime(r.start), sqlTime(r.end), sqlTime(r.now)];
  const rec = `(t.receivedAt >= '${s}' AND t.receivedAt < '${e}')`;
  const sol = `(t.resolvedAt >= '${s}' AND t.resolvedAt < '${e}')`;
  const overdue = `(t.status IN ('open','in_progress') AND (t.responseOverdue = 1 OR t.resolutionOverdue = 1 OR (t.firstResponseAt IS NULL AND t.responseDueAt < '${now}') OR t.resolutionDueAt < '${now}'))`;
  const rows = await q<Record<string, unknown>>(
    db,
    `SELECT t.handlerId AS h, SUM(CASE WHEN ${rec} THEN 1 ELSE 0 END) AS received, SUM(CASE WHEN ${sol} THEN 1 ELSE 0 END) AS solved,
        SUM(CASE WHEN t.status IN ('open','in_progress') THEN 1 ELSE 0 END) AS active, SUM(CASE WHEN ${overdue} THEN 1 ELSE 0 END) AS overdue,
        AVG(CASE WHEN ${sol} THEN t.satisfaction END) AS sat
      FROM "Ticket" t WHERE t.handlerId IS NOT NULL${dept} AND (t.status IN ('open','in_progress') OR ${rec} OR ${sol})
      GROUP BY t.handlerId ORDER BY active DESC, received DESC, h`,
    ...(r.departments ? [JSON.stringify(r.departments)] : []),
  );
  return rows.map((x) => ({ handlerId: String(x.h), received: n(x.received), solved: n(x.solved), active: n(x.active), overdue: n(x.overdue), avgSatisfaction: nn(x.sat) }));
}
