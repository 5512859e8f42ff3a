// The texts of a period's tickets, for grouping recurring problems by meaning (src/core/recurring.ts).
import type { Db } from "./db.js";
import { inRange, run, scopeOf, sql } from "./report-sql.js";
import type { ReportRange } from "./reports.js";

/** Tickets read per period: enough for a month of a busy desk; the newest are kept. */
export const MAX_PROBLEM_TEXTS = 3000;

/** How much of a description the grouping reads. */
const TEXT_CHARS = 600;

/**
 * Raw SQL (as the other report reads): Prisma's findMany maps 3,000 rows per period into objects it
 * then hands over, where the digest needs three strings. SQLite's substr counts characters, JS's slice
 * UTF-16 units, so the slice below still decides (a character is never more than two units).
 */
export async function problemTexts(db: Db, r: Pick<ReportRange, "start" | "end" | "departments">, limit = MAX_PROBLEM_TEXTS) {
  const rows = await run<{ n: string; t: string; d: string }>(
    db,
    // A merged ticket counts as a vote on the one it joined, not as a problem of its own.
    sql`SELECT t.number AS n, t.title AS t, substr(t.description, 1, ${TEXT_CHARS}) AS d FROM "Ticket" t
        WHERE${inRange("receivedAt", r.start, r.end)} AND t.status <> 'merged'${scopeOf(r.departments)}
        ORDER BY t.receivedAt DESC, t.id DESC LIMIT ${limit}`,
  );
  return rows.map((x) => ({ number: x.n, title: x.t, text: x.d.slice(0, TEXT_CHARS) }));
}
