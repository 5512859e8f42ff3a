// The texts of a period's tickets, for grouping recurring problems by meaning (src/core/recurring.ts).
import type { Db } from "./db.js";
import type { ReportRange } from "./reports.js";

/** Tickets read per period: enough for a month of a busy desk; the newest are kept. */
export const MAX_PROBLEM_TEXTS = 3000;

export async function problemTexts(db: Db, r: Pick<ReportRange, "start" | "end" | "departments">, limit = MAX_PROBLEM_TEXTS) {
  const rows = await db.ticket.findMany({
    // A merged ticket counts as a vote on the one it joined, not as a problem of its own.
    where: { receivedAt: { gte: r.start, lt: r.end }, status: { not: "merged" }, ...(r.departments ? { department: { in: r.departments } } : {}) },
    select: { number: true, title: true, description: true },
    orderBy: { receivedAt: "desc" },
    take: limit,
  });
  return rows.map((t) => ({ number: t.number, title: t.title, text: t.description.slice(0, 600) }));
}
