// Ticket repository. Every change is one atomic batch: the timeline event (unique per ticket version)
// plus the guarded update, so of two concurrent writers exactly one wins and the other gets CONFLICT.
// Batches (not interactive transactions) keep it working on Cloudflare D1 too.
import type { Prisma, Ticket, TicketEvent } from "../generated/prisma/client.js";
import { ChatDeskError } from "../core/errors.js";
import type { Actor } from "../core/types.js";
import { isUniqueViolation, type Db, type Queries } from "./db.js";

export type TicketRow = Ticket;
export type TicketEventRow = TicketEvent;

export type EventSource = "card" | "command" | "message" | "web" | "system";

export interface NewEvent {
  kind: string;
  actor: Actor;
  source: EventSource;
  at: Date;
  payload?: Record<string, unknown>;
}

const eventData = (ticketId: number, e: NewEvent, ticketVersion: number | null) => ({
  ticketId,
  at: e.at,
  actorId: e.actor.userId,
  actorName: e.actor.name ?? null,
  kind: e.kind,
  source: e.source,
  payload: JSON.stringify(e.payload ?? {}),
  ticketVersion,
});

export type NewAttachment = Omit<Prisma.AttachmentCreateManyInput, "id" | "ticketId" | "createdAt">;

/**
 * A new ticket at version 1 with its "created" event and attachment rows: the INSERT returns the row
 * (no re-read), the event only its id, the attachments nothing. Run it in the creation's transaction.
 */
export async function insertTicket(
  db: Queries,
  data: Omit<Prisma.TicketUncheckedCreateInput, "version" | "events" | "attachments">,
  created: NewEvent,
  attachments: NewAttachment[] = [],
): Promise<{ ticket: TicketRow; created: TicketEventRow; attachmentIds: number[] }> {
  const ticket = await db.ticket.create({ data: { ...data, version: 1 } });
  const event = eventData(ticket.id, created, 1);
  const { id } = await db.ticketEvent.create({ data: event, select: { id: true } });
  const files = attachments.length ? await db.attachment.createManyAndReturn({ data: attachments.map((a) => ({ ...a, ticketId: ticket.id })), select: { id: true } }) : [];
  return { ticket, created: { id, ...event }, attachmentIds: files.map((f) => f.id) };
}

export type ExtraOp = (db: Db) => Prisma.PrismaPromise<unknown>;

/**
 * Apply a patch to the ticket at `expected.version`, recording `event`. Throws CONFLICT when someone
 * else changed the ticket first. `extra` ops join the same atomic batch (ratings, attachments).
 */
export async function applyChange(
  db: Db,
  expected: { id: number; version: number },
  patch: Prisma.TicketUncheckedUpdateManyInput,
  event: NewEvent,
  extra: ExtraOp[] = [],
): Promise<TicketRow> {
  const next = expected.version + 1;
  const attempt = async (): Promise<boolean> => {
    try {
      const results = await db.$transaction([
        db.ticketEvent.create({ data: eventData(expected.id, event, next) }),
        db.ticket.updateMany({ where: { id: expected.id, version: expected.version }, data: { ...patch, version: next } }),
        ...extra.map((op) => op(db)),
      ]);
      // At most one row matches (id + version); D1 counts the rows its triggers wrote too (the
      // migration's nextFollowUpAt triggers), so "changed" is any count, not exactly one.
      return (results[1] as { count: number }).count >= 1;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  };
  if (!(await attempt()) && !((await removeOrphanClaim(db, expected, event.at)) && (await attempt()))) throw conflict(expected.id);
  const row = await db.ticket.findUnique({ where: { id: expected.id } });
  if (!row) throw new ChatDeskError("NOT_FOUND", `ticket ${expected.id} vanished`);
  return row;
}

/** How old a claimed-but-unapplied version must be before it counts as abandoned rather than in flight. */
export const ORPHAN_CLAIM_AGE_MS = 60_000;

/**
 * D1 runs a batch without a transaction: an invocation that died between the timeline insert and the
 * ticket update leaves an event holding the next version, and every later change would conflict on it.
 * Such a claim (the ticket never reached its version, and it is older than a change in flight could be)
 * is removed so the ticket can move again. On SQLite this never finds anything.
 */
async function removeOrphanClaim(db: Db, expected: { id: number; version: number }, now: Date): Promise<boolean> {
  const t = await db.ticket.findUnique({ where: { id: expected.id }, select: { version: true } });
  if (!t || t.version !== expected.version) return false;
  const gone = await db.ticketEvent.deleteMany({
    where: { ticketId: expected.id, ticketVersion: expected.version + 1, at: { lt: new Date(now.getTime() - ORPHAN_CLAIM_AGE_MS) } },
  });
  return gone.count > 0;
}

const conflict = (id: number) =>
  new ChatDeskError("CONFLICT", "the ticket was changed by someone else at the same moment", { ticketId: id });

/** Timeline entry that does not change the ticket (reminders, escalations, notes). */
export async function appendEvent(db: Db, ticketId: number, e: NewEvent): Promise<void> {
  await db.ticketEvent.create({ data: eventData(ticketId, e, null) });
}

export const findTicketByNumber = (db: Db, number: string) => db.ticket.findUnique({ where: { number: number.toUpperCase() } });
export const findTicketById = (db: Db, id: number) => db.ticket.findUnique({ where: { id } });

export async function requireTicket(db: Db, number: string): Promise<TicketRow> {
  const t = await findTicketByNumber(db, number);
  if (!t) throw new ChatDeskError("NOT_FOUND", `ticket ${number} not found`, { number });
  return t;
}

export const recentEvents = (db: Db, ticketId: number, take = 5) =>
  db.ticketEvent.findMany({ where: { ticketId }, orderBy: [{ at: "desc" }, { id: "desc" }], take });

export const allEvents = (db: Db, ticketId: number) =>
  db.ticketEvent.findMany({ where: { ticketId }, orderBy: [{ at: "asc" }, { id: "asc" }] });

/** A message in a ticket card's thread (or the source message) points back to its ticket. */
export async function findTicketByMessage(db: Db, platform: string, messageIds: string[]): Promise<TicketRow | null> {
  const ids = messageIds.filter(Boolean);
  if (!ids.length) return null;
  const ref = await db.cardRef.findFirst({ where: { platform, ref: { in: ids } }, select: { ticketId: true } });
  if (ref) return findTicketById(db, ref.ticketId);
  return db.ticket.findFirst({ where: { platform, messageId: { in: ids } } });
}
