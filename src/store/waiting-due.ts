// Tickets waiting on the customer or a third party for longer than reminders.waitingRemindAfter, through
// the (status, waitingSince) index: those whose reminder for this waiting stretch is not claimed yet.
// Once claimed a waiting ticket costs nothing per tick.
import type { Priority } from "../core/types.js";
import type { Db } from "./db.js";
import { sqlTime } from "./reports.js";

export interface WaitingCandidate {
  id: number;
  priority: string;
  waitingSince: Date;
}

const TAKE = 500;

/** Per priority, the latest waitingSince whose reminder can be due now; oldest first, at most `take`. */
export async function waitingCandidates(db: Db, horizons: Partial<Record<Priority, Date>>, take = TAKE): Promise<WaitingCandidate[]> {
  const entries = Object.entries(horizons).filter((e): e is [Priority, Date] => e[1] instanceof Date);
  if (!entries.length) return [];
  const latest = new Date(Math.max(...entries.map(([, d]) => d.getTime())));
  const rows = await db.$queryRawUnsafe<{ id: number | bigint; priority: string; waitingSince: string | number | Date }[]>(
    `SELECT t.id AS id, t.priority AS priority, t.waitingSince AS waitingSince FROM "Ticket" t
     WHERE t.status = 'in_progress' AND t.waitingSince IS NOT NULL AND t.waitingSince <= ?
       AND (${entries.map(() => "(t.priority = ? AND t.waitingSince <= ?)").join(" OR ")})
       AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.ticketId = t.id AND n.kind = 'waiting.remind' AND n.at = t.waitingSince)
     ORDER BY t.waitingSince, t.id LIMIT ?`,
    sqlTime(latest),
    ...entries.flatMap(([p, d]) => [p, sqlTime(d)]),
    take,
  );
  return rows.map((r) => ({ id: Number(r.id), priority: r.priority, waitingSince: r.waitingSince instanceof Date ? r.waitingSince : new Date(r.waitingSince) }));
}
