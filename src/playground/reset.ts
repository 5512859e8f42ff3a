// Reset: every table emptied (whatever tables the migrations made), the sandbox chats back to the
// configured groups, the clock back to real time.
import type { Db } from "../store/db.js";

export async function emptyDatabase(db: Db): Promise<string[]> {
  const all = await db.$queryRawUnsafe<{ name: string; sql: string | null }[]>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma_%' AND name NOT LIKE '%_fts%'",
  );
  // Search indexes (FTS5 virtual tables and their shadow tables) follow Ticket through its triggers and
  // must not be emptied behind their back, nor the digest rollups (Rollup*, triggers on Ticket: emptied
  // first, the tickets' delete triggers would leave negative counts); SearchPosition is data the migration ships.
  const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? "")).map((t) => t.name);
  const tables = all
    .map((t) => t.name)
    .filter((n) => n !== "SearchPosition" && !n.startsWith("Rollup") && !virtual.some((v) => n === v || n.startsWith(`${v}_`)));
  // Children first where foreign keys forbid otherwise: retry what failed until nothing is left.
  let left = tables;
  for (let pass = 0; pass < tables.length + 1 && left.length; pass++) {
    const failed: string[] = [];
    for (const t of left) {
      try {
        await db.$executeRawUnsafe(`DELETE FROM "${t.replace(/"/g, '""')}"`);
      } catch {
        failed.push(t);
      }
    }
    left = failed;
  }
  if (left.length) throw new Error(`could not empty ${left.join(", ")}`);
  return tables;
}
