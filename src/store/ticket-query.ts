// List / search with filters and paging (cards' /list and /find, the console, exports).
import type { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db.js";

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
  const text = f.text?.trim();
  if (text) {
    and.push({
      OR: [
        { number: { contains: text.toUpperCase() } },
        { title: { contains: text } },
        { description: { contains: text } },
        { customerName: { contains: text } },
        { customerId: { contains: text } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

export async function listTickets(db: Db, f: TicketFilter, page = 1, pageSize = 20) {
  const where = ticketWhere(f);
  const size = Math.min(Math.max(pageSize, 1), 500);
  const [total, rows] = await Promise.all([
    db.ticket.count({ where }),
    db.ticket.findMany({ where, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], skip: (Math.max(page, 1) - 1) * size, take: size }),
  ]);
  return { total, page: Math.max(page, 1), pageSize: size, rows };
}
