// Per-day ticket sequence. One atomic upsert statement: concurrent creators (threads, processes,
// Worker isolates on D1) each get a distinct value, and a value is never handed out twice.
import type { Queries } from "./db.js";

export async function nextSequence(db: Queries, key: string): Promise<number> {
  const rows = await db.$queryRaw<{ last: number | bigint }[]>`
    INSERT INTO "DaySequence" ("key", "last") VALUES (${key}, 1)
    ON CONFLICT("key") DO UPDATE SET "last" = "last" + 1
    RETURNING "last"`;
  const v = rows[0]?.last;
  if (v === undefined) throw new Error(`sequence ${key}: no value returned`);
  return Number(v);
}
