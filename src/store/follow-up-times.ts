// Ticket.nextFollowUpAt: when the scheduler next has to look at a ticket (src/core/follow-up.ts). The
// migration's triggers reset it to STALE whenever a ticket changes; the tick reads the tickets whose
// time has come (the stale ones first), recomputes their times and writes them back here.
import type { FollowUpTicket, SentNotice } from "../core/follow-up.js";
import type { Db } from "./db.js";
import { sqlTime } from "./reports.js";

/** "Look at it now, whatever the clock" (also what the triggers write). */
export const STALE = "1970-01-01T00:00:00.000+00:00";

export type FollowUpRow = FollowUpTicket & { id: number; version: number };

type RawTime = string | number | Date;
const time = (v: RawTime): Date => (v instanceof Date ? v : new Date(v));
const timeOrNull = (v: RawTime | null): Date | null => (v === null || v === undefined ? null : time(v));
const ids = (xs: number[]) => JSON.stringify(xs);

/** Tickets whose follow-up time has come (stale ones first), at most `limit`. */
export async function dueForFollowUp(db: Db, now: Date, limit: number): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<{ id: number | bigint }[]>(
    `SELECT t.id AS id FROM "Ticket" t WHERE t.nextFollowUpAt <= ? ORDER BY t.nextFollowUpAt, t.id LIMIT ?`,
    sqlTime(now),
    limit,
  );
  return rows.map((r) => Number(r.id));
}

/** What the follow-up rules read of these tickets. One JSON parameter carries the ids (D1 binds at most 100). */
export async function followUpRows(db: Db, ticketIds: number[]): Promise<FollowUpRow[]> {
  if (!ticketIds.length) return [];
  const rows = await db.$queryRawUnsafe<Record<string, RawTime | null | bigint>[]>(
    `SELECT t.id AS id, t.version AS version, t.status AS status, t.priority AS priority, t.receivedAt AS receivedAt, t.responseDueAt AS responseDueAt,
       t.resolutionDueAt AS resolutionDueAt, t.firstResponseAt AS firstResponseAt, t.lastProgressAt AS lastProgressAt, t.resolvedAt AS resolvedAt,
       t.updatedAt AS updatedAt, t.blockedAt AS blockedAt, t.waitingSince AS waitingSince
     FROM "Ticket" t WHERE t.id IN (SELECT value FROM json_each(?))`,
    ids(ticketIds),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    version: Number(r.version),
    status: String(r.status),
    priority: String(r.priority),
    receivedAt: time(r.receivedAt as RawTime),
    responseDueAt: time(r.responseDueAt as RawTime),
    resolutionDueAt: time(r.resolutionDueAt as RawTime),
    firstResponseAt: timeOrNull(r.firstResponseAt as RawTime | null),
    lastProgressAt: time(r.lastProgressAt as RawTime),
    resolvedAt: timeOrNull(r.resolvedAt as RawTime | null),
    updatedAt: time(r.updatedAt as RawTime),
    blockedAt: timeOrNull(r.blockedAt as RawTime | null),
    waitingSince: timeOrNull(r.waitingSince as RawTime | null),
  }));
}

/** The notices already claimed for these tickets, per ticket. */
export async function sentNotices(db: Db, ticketIds: number[]): Promise<Map<number, SentNotice[]>> {
  const out = new Map<number, SentNotice[]>();
  if (!ticketIds.length) return out;
  const rows = await db.$queryRawUnsafe<{ ticketId: number | bigint; kind: string; level: number | bigint; at: RawTime }[]>(
    `SELECT n.ticketId AS ticketId, n.kind AS kind, n.level AS level, n.at AS at FROM "Notice" n WHERE n.ticketId IN (SELECT value FROM json_each(?))`,
    ids(ticketIds),
  );
  for (const r of rows) {
    const id = Number(r.ticketId);
    const list = out.get(id) ?? [];
    list.push({ kind: r.kind, level: Number(r.level), at: time(r.at) });
    out.set(id, list);
  }
  return out;
}

/**
 * Store recomputed times in one statement. Guarded by the version read: a ticket changed meanwhile
 * keeps the STALE mark its trigger wrote and is recomputed on the next tick.
 */
export async function storeFollowUpTimes(db: Db, rows: { id: number; version: number; at: Date | null }[]): Promise<number> {
  if (!rows.length) return 0;
  return db.$executeRawUnsafe(
    `UPDATE "Ticket" SET nextFollowUpAt = json_extract(j.value, '$[2]') FROM json_each(?) j
     WHERE "Ticket".id = json_extract(j.value, '$[0]') AND "Ticket".version = json_extract(j.value, '$[1]')`,
    JSON.stringify(rows.map((r) => [r.id, r.version, r.at ? sqlTime(r.at) : null])),
  );
}

/** After a calendar change every followed-up ticket's moments may have moved: all are looked at again. */
export async function markFollowUpsStale(db: Db): Promise<number> {
  return db.$executeRawUnsafe(`UPDATE "Ticket" SET nextFollowUpAt = ? WHERE status IN ('open', 'in_progress', 'resolved')`, STALE);
}
