// Inbound events are stored before they are acknowledged: the id makes redeliveries no-ops,
// and a pending row left by a crash is picked up again by the recovery sweep.
import { sqlTime, type Db, type Queries } from "./db.js";

export interface StoredInbound {
  id: string;
  platform: string;
  kind: string;
  payload: string;
  attempts: number;
}

export interface InboundRow {
  id: string;
  platform: string;
  kind: string;
  payload: unknown;
  at: Date;
}

/** The statement that stores an acknowledged event, for a runtime that runs it on its own connection (Node's inbox). */
export const STORE_INBOUND_SQL = `INSERT INTO "InboundEvent" ("id", "platform", "kind", "payload", "receivedAt") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("id") DO NOTHING`;
export const storeInboundArgs = (e: InboundRow) => [e.id, e.platform, e.kind, JSON.stringify(e.payload), sqlTime(e.at)] as const;

/** Somewhere else that does the acknowledgement's writes (src/adapter/node/inbox.ts). */
export interface InboundWriter {
  /** Store an acknowledged event; false when seen before. */
  store(e: InboundRow): Promise<boolean>;
  /** A webhook signature's first use (store/used-signatures.ts); false on any reuse before `expiresAt`. */
  claimSignature(key: string, expiresAt: Date, now: Date): Promise<boolean>;
}

/**
 * Returns false when the event was seen before. On the acknowledgement's path, so one raw statement:
 * Prisma's create runs its query compiler on every call (and a duplicate costs a thrown error), where
 * a raw INSERT … ON CONFLICT goes straight to the driver, on better-sqlite3 and D1 alike.
 */
export async function storeInbound(db: Db, e: InboundRow): Promise<boolean> {
  return (await db.$executeRawUnsafe(STORE_INBOUND_SQL, ...storeInboundArgs(e))) > 0;
}

/** Whether an event with this id was stored (whatever became of it since). */
export async function inboundExists(db: Db, id: string): Promise<boolean> {
  return (await db.$queryRawUnsafe<unknown[]>(`SELECT 1 AS x FROM "InboundEvent" WHERE "id" = ? LIMIT 1`, id)).length > 0;
}

/**
 * Lease one pending event for processing; null if another worker holds it or it is done. One
 * statement: the guarded UPDATE returns the row it leased (SQLite and D1 both have RETURNING).
 */
export async function leaseInbound(db: Db, id: string, now: Date, leaseMs = 60_000): Promise<StoredInbound | null> {
  const rows = await db.$queryRawUnsafe<{ id: string; platform: string; kind: string; payload: string; attempts: number | bigint }[]>(
    `UPDATE "InboundEvent" SET "lockedUntil" = ?, "attempts" = "attempts" + 1
     WHERE "id" = ? AND "status" = 'pending' AND ("lockedUntil" IS NULL OR "lockedUntil" < ?)
     RETURNING "id", "platform", "kind", "payload", "attempts"`,
    sqlTime(new Date(now.getTime() + leaseMs)),
    id,
    sqlTime(now),
  );
  const r = rows[0];
  return r ? { ...r, attempts: Number(r.attempts) } : null;
}

/** Mark the event processed; also run inside the transaction of the ticket it became (submit.ts). */
export async function finishInbound(db: Queries, id: string, now: Date): Promise<void> {
  await db.inboundEvent.updateMany({ where: { id }, data: { status: "done", processedAt: now, lockedUntil: null, lastError: null } });
}

/** Failed processing: retry later (lease expires), or give up after `maxAttempts`. */
export async function failInbound(db: Db, id: string, error: string, attempts: number, maxAttempts: number, now: Date, retryInMs: number): Promise<void> {
  await db.inboundEvent.update({
    where: { id },
    data:
      attempts >= maxAttempts
        ? { status: "failed", lastError: error.slice(0, 2000), lockedUntil: null, processedAt: now }
        : { lastError: error.slice(0, 2000), lockedUntil: new Date(now.getTime() + retryInMs) },
  });
}

/**
 * Pending messages whose lease has expired (crash recovery / retry). Card actions are rows too, but
 * pending only while their click is being answered (the platform re-sends a click it got no answer to).
 */
export async function duePendingInbound(db: Db, now: Date, take = 50): Promise<string[]> {
  const rows = await db.inboundEvent.findMany({
    where: { status: "pending", kind: "message", OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    orderBy: { receivedAt: "asc" },
    take,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
