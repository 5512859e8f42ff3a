// List / search with filters and paging (cards' /list and /find, the console, exports).
import type { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db.js";
import { countMatches, pageMatches, sqlTime, type Sql } from "./ticket-search.js";

export interface TicketFilter {
  status?: string[];
  category?: string;
  priority?: string;
  department?: string;
  handlerId?: string;
  reporterId?: string;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  text?: string;
  /** Tickets a person reported or handles. */
  involving?: { reporterId: string; handlerId?: string };
}

export const OPEN_STATUSES = ["open", "in_progress", "resolved"];

export function ticketWhere(f: TicketFilter): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [];
  if (f.status?.length) and.push({ status: { in: f.status } });
  if (f.category) and.push({ category: f.category });
  if (f.priority) and.push({ priority: f.priority });
  if (f.department) and.push({ department: f.department });
  if (f.handlerId) and.push({ handlerId: f.handlerId });
  if (f.reporterId) and.push({ reporterId: f.reporterId });
  if (f.overdue === true) and.push({ OR: [{ responseOverdue: true }, { resolutionOverdue: true }] });
  if (f.overdue === false) and.push({ responseOverdue: false, resolutionOverdue: false });
  if (f.from) and.push({ receivedAt: { gte: f.from } });
  if (f.to) and.push({ receivedAt: { lt: f.to } });
  if (f.involving) {
    const or: Prisma.TicketWhereInput[] = [{ reporterId: f.involving.reporterId }];
    if (f.involving.handlerId) or.push({ handlerId: f.involving.handlerId });
    and.push({ OR: or });
  }
  // The text is matched in SQL Prisma cannot write (FTS5, LIKE … ESCAPE): see ticketSql and ticket-search.ts.
  return and.length ? { AND: and } : {};
}

const inList = (col: string, xs: string[]): Sql => ({ text: `t.${col} IN (${xs.map(() => "?").join(", ")})`, params: xs });
const eq = (col: string, v: string): Sql => ({ text: `t.${col} = ?`, params: [v] });

/** The same filter as ticketWhere, as SQL over `t`, for the text searches (ticket-search.ts). */
export function ticketSql(f: TicketFilter): Sql[] {
  const out: Sql[] = [];
  if (f.status?.length) out.push(inList("status", f.status));
  for (const k of ["category", "priority", "department", "handlerId", "reporterId"] as const) {
    const v = f[k];
    if (v) out.push(eq(k, v));
  }
  if (f.overdue === true) out.push({ text: "t.responseOverdue = 1 OR t.resolutionOverdue = 1", params: [] });
  if (f.overdue === false) out.push({ text: "t.responseOverdue = 0 AND t.resolutionOverdue = 0", params: [] });
  if (f.from) out.push({ text: "t.receivedAt >= ?", params: [sqlTime(f.from)] });
  if (f.to) out.push({ text: "t.receivedAt < ?", params: [sqlTime(f.to)] });
  if (f.involving) {
    const { reporterId, handlerId } = f.involving;
    out.push(handlerId ? { text: "t.reporterId = ? OR t.handlerId = ?", params: [reporterId, handlerId] } : eq("reporterId", reporterId));
  }
  return out;
}

export async function listTickets(db: Db, f: TicketFilter, page = 1, pageSize = 20) {
  const size = Math.min(Math.max(pageSize, 1), 500);
  const skip = (Math.max(page, 1) - 1) * size;
  const text = f.text?.trim();
  if (text) {
    const q = { where: ticketSql(f), text };
    const [total, rows] = await Promise.all([countMatches(db, q), pageMatches(db, q, skip, size)]);
    return { total, page: Math.max(page, 1), pageSize: size, rows };
  }
  const where = ticketWhere(f);
  const [total, rows] = await Promise.all([
    db.ticket.count({ where }),
    db.ticket.findMany({ where, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], skip, take: size }),
  ]);
  return { total, page: Math.max(page, 1), pageSize: size, rows };
}
