// Claims for scheduled notifications (Notice, key = primary key). A reminder, escalation or digest
// puts its messages in the outbox first, idempotently (each message's dedupeKey derives from the claim
// key), then claims the key together with its effects (timeline entry, overdue flag). So:
// - a crash after the messages, before the claim: the next tick finds the key free, adds only the
//   messages still missing (none) and claims — nothing lost, nothing twice;
// - a second claimer (overlapping tick, another process on the same database) adds no message (same
//   dedupeKeys) and fails on the key, so it records no effects either;
// - a crash after the claim: the messages are already in the outbox, the delivery loop sends them.
// This holds without transactions, which matters on Cloudflare D1: Prisma's D1 adapter runs a
// $transaction batch as separate statements. On SQLite the claim batch is also atomic.
import type { Prisma } from "../generated/prisma/client.js";
import { isUniqueViolation, type Db } from "./db.js";
import { enqueue, type NewOutbound } from "./outbox.js";
import type { ExtraOp } from "./tickets.js";

export interface NoticeClaim {
  key: string;
  ticketId?: number | null;
  /** e.g. "response.breach", "nudge", "digest.weekly". */
  kind: string;
  level?: number;
  /** The instant the notice is about: the deadline, the last progress, the period start. */
  at: Date;
}

/**
 * The claim key of a deadline stage ("response.before", level, the deadline's value): a changed deadline
 * re-arms its stages; a recomputed one carries the claims already sent over (app/calendar/recompute.ts).
 */
export const deadlineClaimKey = (ticketId: number, kind: string, level: number, due: Date) => `ticket:${ticketId}:${kind}:${level}:${due.getTime()}`;

/** The dedupeKey of the i-th message of a claim, unless the message brings its own. */
const messageKey = (claimKey: string, m: NewOutbound, i: number) => m.dedupeKey ?? `notice:${claimKey}#${i}`;

const outboxData = (m: NewOutbound, now: Date, key: string, i: number): Prisma.OutboundMessageUncheckedCreateInput => ({
  platform: m.platform,
  kind: m.kind,
  target: m.target,
  ticketId: m.ticketId ?? null,
  payload: JSON.stringify(m.payload),
  dedupeKey: messageKey(key, m, i),
  nextAttemptAt: now,
});

/**
 * Enqueue `msgs`, then claim `claim.key` with `before` ops (idempotent ones, e.g. setting a flag:
 * they run even for a claimer that loses) and `after` ops (only for the winner, e.g. the timeline
 * entry). Returns the ids of the claim's messages still pending, or null when the key was claimed before.
 */
export async function claimAndEnqueue(
  db: Db,
  claim: NoticeClaim,
  msgs: NewOutbound[],
  now: Date,
  effects: { before?: ExtraOp[]; after?: ExtraOp[] } = {},
): Promise<number[] | null> {
  if (await db.notice.findUnique({ where: { key: claim.key }, select: { key: true } })) return null;
  const keys = msgs.map((m, i) => messageKey(claim.key, m, i));
  await enqueue(db, msgs.map((m, i) => ({ ...m, dedupeKey: keys[i] })), now);
  try {
    await db.$transaction([...(effects.before ?? []).map((op) => op(db)), noticeOp(claim)(db), ...(effects.after ?? []).map((op) => op(db))]);
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  // The claim's messages, whoever inserted them (a concurrent claimer, a run that crashed), still to go.
  const ids: number[] = [];
  for (let i = 0; i < keys.length; i += 50) {
    const rows = await db.outboundMessage.findMany({ where: { dedupeKey: { in: keys.slice(i, i + 50) }, status: "pending" }, select: { id: true } });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** An outbox insert op, for batches built elsewhere (auto-close joins the ticket change's batch). */
export const outboxOp =
  (m: NewOutbound, now: Date, claimKey: string, i = 0): ExtraOp =>
  (db) =>
    db.outboundMessage.create({ data: outboxData(m, now, claimKey, i), select: { id: true } });

/** The notice create op, also for batches built elsewhere (auto-close joins the ticket change's batch). */
export const noticeOp =
  (claim: NoticeClaim): ExtraOp =>
  (db) =>
    db.notice.create({ data: { key: claim.key, ticketId: claim.ticketId ?? null, kind: claim.kind, level: claim.level ?? 0, at: claim.at } });

/** Which of these keys are already claimed. One JSON parameter carries the list (D1 binds at most 100). */
export async function claimedKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await db.$queryRawUnsafe<{ key: string }[]>(`SELECT n."key" AS "key" FROM "Notice" n WHERE n."key" IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
  return new Set(rows.map((r) => r.key));
}
