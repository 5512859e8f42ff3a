// What the scheduler may have to act on, found through the (status, <time>) indexes: each query takes
// a per-priority horizon (the latest deadline / last-progress / resolved time that can be due now,
// computed by the caller in the policy's clock) and pages through candidates in time order. The exact
// "is it due now" check happens in the scheduler; these only keep the candidate set small. Candidates
// carry only the times the check needs: full rows are loaded (loadTickets) for the few acted on.
import type { Priority } from "../core/types.js";
import type { Db } from "./db.js";
import { sqlTime } from "./reports.js";
import type { TicketRow } from "./tickets.js";

/** Per priority; a priority left out has nothing that can be due now and is not read at all. */
export type Horizons = Partial<Record<Priority, Date>>;
export type DeadlineKind = "response" | "resolution";

/** The columns the due checks and claim keys read. */
export type Candidate = Pick<TicketRow, "id" | "priority" | "receivedAt" | "responseDueAt" | "resolutionDueAt" | "lastProgressAt" | "resolvedAt" | "updatedAt" | "blockedAt">;

/** A position in a time-ordered scan: the last (time, id) seen. */
export interface Cursor {
  at: Date;
  id: number;
}

const PAGE = 500;
/** D1 binds at most 100 parameters per statement; ids are loaded in chunks below that. */
const ID_CHUNK = 50;

type Param = string | number;

const COLUMN: Record<DeadlineKind, string> = { response: "responseDueAt", resolution: "resolutionDueAt" };

const CANDIDATE_COLUMNS = "t.id AS id, t.priority AS priority, t.receivedAt AS receivedAt, t.responseDueAt AS responseDueAt, t.resolutionDueAt AS resolutionDueAt, t.lastProgressAt AS lastProgressAt, t.resolvedAt AS resolvedAt, t.updatedAt AS updatedAt, t.blockedAt AS blockedAt";

type RawTime = string | number | Date;
type RawCandidate = { id: number | bigint; priority: string } & Record<"receivedAt" | "responseDueAt" | "resolutionDueAt" | "lastProgressAt" | "updatedAt", RawTime> & Record<"resolvedAt" | "blockedAt", RawTime | null>;

// Raw queries hand DateTime columns back as stored (text on SQLite and D1).
const time = (v: RawTime): Date => (v instanceof Date ? v : new Date(v));
const timeOrNull = (v: RawTime | null): Date | null => (v === null || v === undefined ? null : time(v));

const candidateOf = (r: RawCandidate): Candidate => ({
  id: Number(r.id),
  priority: r.priority,
  receivedAt: time(r.receivedAt),
  responseDueAt: time(r.responseDueAt),
  resolutionDueAt: time(r.resolutionDueAt),
  lastProgressAt: time(r.lastProgressAt),
  resolvedAt: timeOrNull(r.resolvedAt),
  updatedAt: time(r.updatedAt),
  blockedAt: timeOrNull(r.blockedAt),
});

/**
 * The per-priority horizons, plus the latest of them as a plain upper bound: without it SQLite plans
 * the OR on the status-only prefix of the index and sorts; with it, a range scan of (status, col).
 * Null when no priority is left: nothing to read.
 */
function horizonSql(col: string, h: Horizons): { text: string; params: Param[] } | null {
  const entries = Object.entries(h).filter((e): e is [Priority, Date] => e[1] instanceof Date);
  if (!entries.length) return null;
  const latest = new Date(Math.max(...entries.map(([, d]) => d.getTime())));
  return {
    text: `t.${col} <= ? AND (${entries.map(() => `(t.priority = ? AND t.${col} <= ?)`).join(" OR ")})`,
    params: [sqlTime(latest), ...entries.flatMap(([p, d]) => [p, sqlTime(d)])],
  };
}

/** After the cursor; the plain lower bound lets the next page start where the last one ended in the index. */
function afterSql(col: string, c: Cursor | undefined): { text: string; params: Param[] } {
  if (!c) return { text: "", params: [] };
  return { text: ` AND t.${col} >= ? AND (t.${col} > ? OR (t.${col} = ? AND t.id > ?))`, params: [sqlTime(c.at), sqlTime(c.at), sqlTime(c.at), c.id] };
}

/**
 * With `dueBy` (the tick's now) only tickets whose stored follow-up time has come are read, through
 * their own index whatever else the query says: the due set is small, the (status, time) ranges are not.
 */
async function page(db: Db, where: string, params: Param[], col: string, after: Cursor | undefined, take: number, dueBy: Date | undefined): Promise<Candidate[]> {
  const a = afterSql(col, after);
  const due = dueBy ? { from: ` INDEXED BY "Ticket_nextFollowUpAt_idx"`, text: `t.nextFollowUpAt <= ? AND `, params: [sqlTime(dueBy)] } : { from: "", text: "", params: [] };
  const rows = await db.$queryRawUnsafe<RawCandidate[]>(
    `SELECT ${CANDIDATE_COLUMNS} FROM "Ticket" t${due.from} WHERE ${due.text}${where}${a.text} ORDER BY t.${col}, t.id LIMIT ?`,
    ...due.params,
    ...params,
    ...a.params,
    take,
  );
  return rows.map(candidateOf);
}

/** The full rows of the tickets a tick acts on, by id. */
export async function loadTickets(db: Db, ids: number[]): Promise<Map<number, TicketRow>> {
  const out = new Map<number, TicketRow>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const t of await db.ticket.findMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) } } })) out.set(t.id, t);
  return out;
}

/**
 * Active tickets whose response (not yet given) or resolution deadline is within its priority's
 * horizon, skipping those whose last stage (the second-level escalation for this very deadline) is
 * already claimed: once fully escalated a ticket costs nothing per tick.
 */
export async function deadlineCandidates(db: Db, kind: DeadlineKind, horizons: Horizons, after?: Cursor, take = PAGE, dueBy?: Date): Promise<Candidate[]> {
  const col = COLUMN[kind];
  const h = horizonSql(col, horizons);
  if (!h) return [];
  const answered = kind === "response" ? " AND t.firstResponseAt IS NULL" : "";
  // A ticket waiting on the customer or a third party has its clocks stopped: nothing is due.
  const where = `t.status IN ('open','in_progress') AND t.waitingSince IS NULL${answered} AND ${h.text}
    AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.ticketId = t.id AND n.kind = ? AND n.at = t.${col})`;
  return page(db, where, [...h.params, `${kind}.escalate`], col, after, take, dueBy);
}

/**
 * When each nudge level comes, per group of priorities sharing a clock: `at[g][k]` is the latest last
 * progress for which nudge k + 1 is due now. A ticket whose nudge at its current level is claimed
 * (its claimed level L, and last progress after at[g][L]: level L + 1 has not come) is skipped in SQL,
 * so quiet tickets already nudged cost nothing per tick. Levels beyond the lists are checked in the scheduler.
 */
export interface NudgeLevels {
  groupOf: Partial<Record<Priority, number>>;
  at: Date[][];
}

/** In-progress tickets without progress since their priority's horizon (nudge candidates). */
export async function quietCandidates(db: Db, horizons: Horizons, levels?: NudgeLevels, after?: Cursor, take = PAGE, dueBy?: Date): Promise<Candidate[]> {
  const h = horizonSql("lastProgressAt", horizons);
  if (!h) return [];
  let where = `t.status = 'in_progress' AND t.waitingSince IS NULL AND ${h.text}`;
  const params = [...h.params];
  const groups = Object.entries(levels?.groupOf ?? {}).filter((e): e is [Priority, number] => typeof e[1] === "number");
  if (levels && groups.length) {
    // One JSON parameter carries the lists (D1 binds at most 100).
    // The group index is written into the SQL (an integer of ours): a bound number may arrive as REAL, "$[0.0]" is no JSON path.
    const group = `CASE t.priority ${groups.map(([, g]) => `WHEN ? THEN '${Math.trunc(g)}'`).join(" ")} END`;
    where += ` AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.ticketId = t.id AND n.kind = 'nudge' AND n.at = t.lastProgressAt
      AND t.lastProgressAt > json_extract(?, '$[' || (${group}) || '][' || CAST(n.level AS INTEGER) || ']'))`;
    params.push(JSON.stringify(levels.at.map((xs) => xs.map(sqlTime))), ...groups.map(([p]) => p));
  }
  return page(db, where, params, "lastProgressAt", after, take, dueBy);
}

/** The oldest last progress of an in-progress ticket (how far back the nudge levels must reach). */
export async function oldestQuiet(db: Db): Promise<Date | undefined> {
  const rows = await db.$queryRawUnsafe<{ m: RawTime | null }[]>(`SELECT MIN(t.lastProgressAt) AS m FROM "Ticket" t WHERE t.status = 'in_progress'`);
  const m = rows[0]?.m;
  return m === null || m === undefined ? undefined : time(m);
}

/** Resolved tickets waiting for confirmation since before their priority's horizon. */
export async function unconfirmedCandidates(db: Db, horizons: Horizons, after?: Cursor, take = PAGE, dueBy?: Date): Promise<Candidate[]> {
  const h = horizonSql("resolvedAt", horizons);
  if (!h) return [];
  return page(db, `t.status = 'resolved' AND t.resolvedAt IS NOT NULL AND ${h.text}`, h.params, "resolvedAt", after, take, dueBy);
}

/**
 * Blocked in-progress tickets through the (status, blockedAt) index: those whose lead notice for this
 * blocked episode is not claimed yet, or blocked before their priority's escalation horizon. Once the
 * manager escalation of the episode is claimed a ticket costs nothing per tick.
 */
export async function blockedCandidates(db: Db, horizons: Horizons, now: Date, after?: Cursor, take = PAGE, dueBy?: Date): Promise<Candidate[]> {
  const entries = Object.entries(horizons).filter((e): e is [Priority, Date] => e[1] instanceof Date);
  if (!entries.length) return [];
  const h = { text: `(${entries.map(() => `(t.priority = ? AND t.blockedAt <= ?)`).join(" OR ")})`, params: entries.flatMap(([p, d]) => [p, sqlTime(d)]) };
  const claimedAs = (kind: string) => `EXISTS (SELECT 1 FROM "Notice" n WHERE n.ticketId = t.id AND n.kind = '${kind}' AND n.at = t.blockedAt)`;
  const where = `t.status = 'in_progress' AND t.waitingSince IS NULL AND t.blockedAt IS NOT NULL AND t.blockedAt <= ?
    AND NOT ${claimedAs("blocked.escalate")} AND (NOT ${claimedAs("blocked.lead")} OR ${h.text})`;
  return page(db, where, [sqlTime(now), ...h.params], "blockedAt", after, take, dueBy);
}

/** Every candidate, page by page, in time order. */
export const PAGE_SIZE = PAGE;

export async function* scan(fetch: (after: Cursor | undefined) => Promise<Candidate[]>, timeOf: (t: Candidate) => Date): AsyncGenerator<Candidate> {
  let after: Cursor | undefined;
  for (;;) {
    const rows = await fetch(after);
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: timeOf(last), id: last.id };
  }
}
