// Outbox: every outgoing platform call is a row first. The delivery loop leases due rows,
// sends, and records success, a retry time, or the dead-letter state.
import type { OutboundMessage } from "../generated/prisma/client.js";
import { isUniqueViolation, sqlTime, timeOf, type Db, type Queries } from "./db.js";

export type OutboundRow = OutboundMessage;

export interface NewOutbound {
  platform: string;
  kind: "send_card" | "update_card" | "send_text" | "urgent" | "download";
  target: string;
  ticketId?: number | null;
  payload: unknown;
  dedupeKey?: string;
}

/** Enqueue; a row with an existing dedupeKey is skipped (exactly-once notifications). Returns ids created. */
export async function enqueue(db: Queries, msgs: NewOutbound[], now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (const m of msgs) {
    try {
      if (m.kind === "update_card") {
        // Only the newest state of a card matters: older pending updates of the same card are dropped.
        await db.outboundMessage.updateMany({
          where: { platform: m.platform, kind: "update_card", target: m.target, status: "pending" },
          data: { status: "superseded" },
        });
      }
      const row = await db.outboundMessage.create({
        data: {
          platform: m.platform,
          kind: m.kind,
          target: m.target,
          ticketId: m.ticketId ?? null,
          payload: JSON.stringify(m.payload),
          dedupeKey: m.dedupeKey ?? null,
          nextAttemptAt: now,
        },
        select: { id: true },
      });
      ids.push(row.id);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return ids;
}

/** What delivery reads of a leased row. */
export type LeasedOutbound = Pick<OutboundRow, "id" | "platform" | "kind" | "target" | "ticketId" | "payload" | "dedupeKey" | "attempts">;

/**
 * Lease due rows (pending, due, not leased by another worker), oldest first. One statement: the
 * UPDATE picks its rows with a subquery and returns what delivery needs, so no two workers lease the
 * same row (SQLite runs one writing statement at a time; D1 likewise).
 */
export async function leaseDue(db: Db, now: Date, take: number, leaseMs = 60_000, ids?: number[]): Promise<LeasedOutbound[]> {
  const only = ids ? ` AND "id" IN (SELECT value FROM json_each(?))` : "";
  const rows = await db.$queryRawUnsafe<(Omit<LeasedOutbound, "id" | "attempts" | "ticketId"> & { id: number | bigint; attempts: number | bigint; ticketId: number | bigint | null; nextAttemptAt: Date | string })[]>(
    `UPDATE "OutboundMessage" SET "lockedUntil" = ?, "attempts" = "attempts" + 1
     WHERE "id" IN (SELECT "id" FROM "OutboundMessage"
       WHERE "status" = 'pending' AND "nextAttemptAt" <= ? AND ("lockedUntil" IS NULL OR "lockedUntil" < ?)${only}
       ORDER BY "nextAttemptAt", "id" LIMIT ?)
     RETURNING "id", "platform", "kind", "target", "ticketId", "payload", "dedupeKey", "attempts", "nextAttemptAt"`,
    sqlTime(new Date(now.getTime() + leaseMs)),
    sqlTime(now),
    sqlTime(now),
    ...(ids ? [JSON.stringify(ids)] : []),
    take,
  );
  // RETURNING has no order: put the rows back in the order they are due.
  return rows
    .map((r) => ({ at: timeOf(r.nextAttemptAt).getTime(), row: { id: Number(r.id), platform: r.platform, kind: r.kind, target: r.target, ticketId: r.ticketId === null ? null : Number(r.ticketId), payload: r.payload, dedupeKey: r.dedupeKey, attempts: Number(r.attempts) } }))
    .sort((a, b) => a.at - b.at || a.row.id - b.row.id)
    .map((x) => x.row);
}

/** The mark-ups after a send: UPDATE without RETURNING (`update` would read the payload back). */
export async function markSent(db: Db, id: number, ref: string | null, now: Date): Promise<void> {
  await db.outboundMessage.updateMany({ where: { id }, data: { status: "sent", sentAt: now, resultRef: ref, lockedUntil: null, lastError: null } });
}

export async function markRetry(db: Db, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await db.outboundMessage.updateMany({ where: { id }, data: { lastError: error.slice(0, 2000), nextAttemptAt, lockedUntil: null } });
}

export async function markDead(db: Db, id: number, error: string, now: Date): Promise<void> {
  await db.outboundMessage.updateMany({ where: { id }, data: { status: "dead", lastError: error.slice(0, 2000), lockedUntil: null, sentAt: now } });
}

/** Put a leased row back for later without counting the attempt (rate limit, not a failure). */
export async function markDeferred(db: Db, id: number, nextAttemptAt: Date): Promise<void> {
  await db.outboundMessage.updateMany({ where: { id, status: "pending" }, data: { nextAttemptAt, lockedUntil: null, attempts: { decrement: 1 } } });
}

/**
 * How long a message to `row.target` must wait so the chat stays within `limit` messages per window:
 * 0 when there is room. Counted from the sent rows (the (platform, target, sentAt) index), so every
 * process delivering from this database shares the budget.
 */
export async function rateWait(db: Db, row: Pick<OutboundRow, "platform" | "target">, now: Date, limit: { messages: number; perSeconds: number } | undefined): Promise<number> {
  if (!limit) return 0;
  const windowMs = limit.perSeconds * 1000;
  const recent = await db.outboundMessage.findMany({
    where: { platform: row.platform, target: row.target, status: "sent", sentAt: { gt: new Date(now.getTime() - windowMs) } },
    orderBy: { sentAt: "desc" },
    take: limit.messages,
    select: { sentAt: true },
  });
  if (recent.length < limit.messages) return 0;
  const oldest = recent[recent.length - 1]!.sentAt!;
  return Math.max(1, oldest.getTime() + windowMs - now.getTime());
}

export async function outboxCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.outboundMessage.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** A pending ticket-card send that has not gone out yet: give it the latest card instead of a stale one. */
export async function replacePendingCardSends(db: Db, ticketId: number, payloadFor: (old: unknown) => unknown): Promise<void> {
  const rows = await db.outboundMessage.findMany({ where: { ticketId, kind: "send_card", status: "pending" } });
  for (const r of rows) {
    const old = JSON.parse(r.payload) as { ticketCard?: boolean };
    if (!old.ticketCard) continue;
    await db.outboundMessage.updateMany({ where: { id: r.id, status: "pending" }, data: { payload: JSON.stringify(payloadFor(old)) } });
  }
}

/** A sent ticket card, remembered so later changes patch it; one statement, a repeat is a no-op. */
export async function rememberCardRef(db: Db, c: { ticketId: number; platform: string; chatId: string; ref: string }, now: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "CardRef" ("ticketId", "platform", "chatId", "ref", "createdAt") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("platform", "ref") DO NOTHING`,
    c.ticketId,
    c.platform,
    c.chatId,
    c.ref,
    sqlTime(now),
  );
}
