// What the scheduler may have to act on, found through the (status, <time>) indexes: each query takes
// a per-priority horizon (the latest deadline / last-progress / resolved time that can be due now,
// computed by the caller in the policy's clock) and pages through candidates in time order. The exact
// "is it due now" check happens in the scheduler; these only keep the candidate set small.
import type { Priority } from "../core/types.js";
import type { Db } from "./db.js";
import { sqlTime } from "./reports.js";
import type { TicketRow } from "./tickets.js";

export type Horizons = Record<Priority, Date>;
export type DeadlineKind = "response" | "resolution";

/** A position in a time-ordered scan: the last (time, id) seen. */
export interface Cursor {
  at: Date;
  id: number;
}

const PAGE = 200;
/** D1 binds at most 100 parameters per statement; ids are loaded in chunks below that. */
const ID_CHUNK = 50;

type Param = string | number;

const COLUMN: Record<DeadlineKind, string> = { response: "responseDueAt", resolution: "resolutionDueAt" };

function horizonSql(col: string, h: Horizons): { text: string; params: Param[] } {
  const entries = Object.entries(h) as [Priority, Date][];
  return {
    text: `(${entries.map(() => `(t.priority = ? AND t.${col} <= ?)`).join(" OR ")})`,
    params: entries.flatMap(([p, d]) => [p, sqlTime(d)]),
  };
}

function afterSql(col: string, c: Cursor | undefined): { text: string; params: Param[] } {
  if (!c) return { text: "", params: [] };
  return { text: ` AND (t.${col} > ? OR (t.${col} = ? AND t.id > ?))`, params: [sqlTime(c.at), sqlTime(c.at), c.id] };
}

async function loadByIds(db: Db, ids: number[], order: (t: TicketRow) => number): Promise<TicketRow[]> {
  const rows: TicketRow[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) rows.push(...(await db.ticket.findMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) } } })));
  return rows.sort((a, b) => order(a) - order(b) || a.id - b.id);
}

async function page(db: Db, where: string, params: Param[], col: string, after: Cursor | undefined, take: number): Promise<number[]> {
  const a = afterSql(col, after);
  const rows = await db.$queryRawUnsafe<{ id: number | bigint }[]>(
    `SELECT t.id AS id FROM "Ticket" t WHERE ${where}${a.text} ORDER BY t.${col}, t.id LIMIT ?`,
    ...params,
    ...a.params,
    take,
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Active tickets whose response (not yet given) or resolution deadline is within its priority's
 * horizon, skipping those whose last stage (the second-level escalation for this very deadline) is
 * already claimed: once fully escalated a ticket costs nothing per tick.
 */
export async function deadlineCandidates(db: Db, kind: DeadlineKind, horizons: Horizons, after?: Cursor, take = PAGE): Promise<TicketRow[]> {
  const col = COLUMN[kind];
  const h = horizonSql(col, horizons);
  const answered = kind === "response" ? " AND t.firstResponseAt IS NULL" : "";
  const where = `t.status IN ('open','in_progress')${answered} AND ${h.text}
    AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.ticketId = t.id AND n.kind = ? AND n.at = t.${col})`;
  const ids = await page(db, where, [...h.params, `${kind}.escalate`], col, after, take);
  return loadByIds(db, ids, (t) => (kind === "response" ? t.responseDueAt : t.resolutionDueAt).getTime());
}

/** In-progress tickets without progress since their priority's horizon (nudge candidates). */
export async function quietCandidates(db: Db, horizons: Horizons, after?: Cursor, take = PAGE): Promise<TicketRow[]> {
  const h = horizonSql("lastProgressAt", horizons);
  const ids = await page(db, `t.status = 'in_progress' AND ${h.text}`, h.params, "lastProgressAt", after, take);
  return loadByIds(db, ids, (t) => t.lastProgressAt.getTime());
}

/** Resolved tickets waiting for confirmation since before their priority's horizon. */
export async function unconfirmedCandidates(db: Db, horizons: Horizons, after?: Cursor, take = PAGE): Promise<TicketRow[]> {
  const h = horizonSql("resolvedAt", horizons);
  const ids = await page(db, `t.status = 'resolved' AND t.resolvedAt IS NOT NULL AND ${h.text}`, h.params, "resolvedAt", after, take);
  return loadByIds(db, ids, (t) => t.resolvedAt!.getTime());
}

/**
 * Blocked in-progress tickets through the (status, blockedAt) index: those whose lead notice for this
 * blocked episode is not claimed yet, or blocked before their priority's escalation horizon. Once the
 * manager escalation of the episode is claimed a ticket costs nothing per tick.
 */
export async function blockedCandidates(db: Db, horizons: Horizons, now: Date, after?: Cursor, take = PAGE): Promise<TicketRow[]> {
  const h = horizonSql("blockedAt", horizons);
  const claimedAs = (kind: string) => `EXISTS (SELECT 1 FROM "Notice" n WHERE n.ticketId = t.id AND n.kind = '${kind}' AND n.at = t.blockedAt)`;
  const where = `t.status = 'in_progress' AND t.blockedAt IS NOT NULL AND t.blockedAt <= ?
    AND NOT ${claimedAs("blocked.escalate")} AND (NOT ${claimedAs("blocked.lead")} OR ${h.text})`;
  const ids = await page(db, where, [sqlTime(now), ...h.params], "blockedAt", after, take);
  return loadByIds(db, ids, (t) => t.blockedAt!.getTime());
}

/** Every candidate, page by page, in time order. */
export async function* scan(
  fetch: (after: Cursor | undefined) => Promise<TicketRow[]>,
  timeOf: (t: TicketRow) => Date,
): AsyncGenerator<TicketRow> {
  let after: Cursor | undefined;
  for (;;) {
    const rows = await fetch(after);
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: timeOf(last), id: last.id };
  }
}
