// Ticket lists for the web console and its exports: the shared filter plus what the console adds
// (overdue as of now rather than only the scheduler's flags, unassigned, department scope).
import type { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db.js";
import { ticketSql, ticketWhere, type TicketFilter } from "./ticket-query.js";
import { countMatches, pageMatches, sqlTime, type SearchQuery, type Sql } from "./ticket-search.js";

export interface ConsoleFilter extends Omit<TicketFilter, "overdue" | "handlerId" | "involving"> {
  /** A person id, or "none" for unassigned tickets. */
  handler?: string;
  /** Only tickets overdue now: active, and flagged by the scheduler or past a deadline. */
  overdue?: boolean;
}

const ACTIVE = ["open", "in_progress"];

/**
 * Overdue now: active, and already flagged as breached or past a deadline at `now` — the digests' and
 * reports' meaning (reports.ts overdueNow). A closed ticket that once breached is history, not overdue;
 * the status condition also lets SQLite start from the status indexes instead of scanning the table.
 */
export function overdueWhere(now: Date): Prisma.TicketWhereInput {
  return {
    status: { in: ACTIVE },
    OR: [{ responseOverdue: true }, { resolutionOverdue: true }, { firstResponseAt: null, responseDueAt: { lt: now } }, { resolutionDueAt: { lt: now } }],
  };
}

export function consoleWhere(f: ConsoleFilter, now: Date): Prisma.TicketWhereInput {
  const { handler, overdue, ...rest } = f;
  const and: Prisma.TicketWhereInput[] = [ticketWhere(rest)];
  if (handler === "none") and.push({ handlerId: null });
  else if (handler) and.push({ handlerId: handler });
  if (overdue) and.push(overdueWhere(now));
  return { AND: and };
}

/** consoleWhere as SQL over `t`, with the text apart, for the text searches (ticket-search.ts). */
export function consoleSearch(f: ConsoleFilter, now: Date): SearchQuery | undefined {
  const { handler, overdue, ...rest } = f;
  const text = rest.text?.trim();
  if (!text) return undefined;
  const where: Sql[] = ticketSql(rest);
  if (handler === "none") where.push({ text: "t.handlerId IS NULL", params: [] });
  else if (handler) where.push({ text: "t.handlerId = ?", params: [handler] });
  if (overdue) {
    const at = sqlTime(now);
    where.push({
      text: `t.status IN ('open', 'in_progress') AND (t.responseOverdue = 1 OR t.resolutionOverdue = 1 OR (t.firstResponseAt IS NULL AND t.responseDueAt < ?) OR t.resolutionDueAt < ?)`,
      params: [at, at],
    });
  }
  return { where, text };
}

const ORDER: Prisma.TicketOrderByWithRelationInput[] = [{ receivedAt: "desc" }, { id: "desc" }];

export async function pageTickets(db: Db, f: ConsoleFilter, now: Date, page: number, pageSize: number) {
  const where = consoleWhere(f, now);
  const search = consoleSearch(f, now);
  const size = Math.min(Math.max(Math.trunc(pageSize) || 20, 1), 200);
  const total = search ? await countMatches(db, search) : await db.ticket.count({ where });
  const last = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(Math.trunc(page) || 1, 1), last);
  const rows = search ? await pageMatches(db, search, (p - 1) * size, size) : await db.ticket.findMany({ where, orderBy: ORDER, skip: (p - 1) * size, take: size });
  return { total, page: p, pages: last, pageSize: size, rows };
}

/** Every matching ticket in list order, fetched in batches so a large export never loads at once. */
export async function* eachTicket(db: Db, f: ConsoleFilter, now: Date, max = 50_000, batch = 500) {
  const where = consoleWhere(f, now);
  const search = consoleSearch(f, now);
  let cursor: { receivedAt: Date; id: number } | undefined;
  let seen = 0;
  while (seen < max) {
    // Keyset paging on (receivedAt, id): stable even while new tickets arrive during the export.
    const take = Math.min(batch, max - seen);
    const page = search
      ? await pageMatches(db, search, 0, take, cursor?.id)
      : await db.ticket.findMany({
          where: cursor
            ? { AND: [where, { OR: [{ receivedAt: { lt: cursor.receivedAt } }, { receivedAt: cursor.receivedAt, id: { lt: cursor.id } }] }] }
            : where,
          orderBy: ORDER,
          take,
        });
    if (!page.length) return;
    for (const t of page) yield t;
    seen += page.length;
    const lastRow = page[page.length - 1]!;
    cursor = { receivedAt: lastRow.receivedAt, id: lastRow.id };
    if (page.length < batch) return;
  }
}
