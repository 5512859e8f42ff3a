// Attachment rows: counts for the cards, the download job's reads and outcomes.
import type { Attachment } from "../generated/prisma/client.js";
import type { Db } from "./db.js";

export type AttachmentRow = Attachment;

export interface AttachmentCounts {
  count: number;
  images: number;
}

export async function attachmentCounts(db: Db, ticketId: number): Promise<AttachmentCounts> {
  const rows = await db.attachment.groupBy({ by: ["kind"], where: { ticketId }, _count: { _all: true } });
  return { count: rows.reduce((n, r) => n + r._count._all, 0), images: rows.find((r) => r.kind === "image")?._count._all ?? 0 };
}

export const pendingAttachments = (db: Db, ticketId: number) => db.attachment.findMany({ where: { ticketId, status: "pending" }, orderBy: { id: "asc" } });

export const attachmentWithTicket = (db: Db, id: number) => db.attachment.findUnique({ where: { id }, include: { ticket: { select: { id: true, number: true, locale: true } } } });

export const ticketAttachments = (db: Db, ticketId: number) => db.attachment.findMany({ where: { ticketId }, orderBy: { id: "asc" } });

/** Record how a pending download ended; false when it was no longer pending (another worker finished it). */
export async function settleAttachment(
  db: Db,
  id: number,
  data: { status: "stored" | "too_big" | "failed"; size?: number | null; contentType?: string | null; storageKey?: string | null; name?: string | null; error?: string | null },
): Promise<boolean> {
  const r = await db.attachment.updateMany({ where: { id, status: "pending" }, data: { ...data, error: data.error?.slice(0, 500) ?? null } });
  return r.count === 1;
}
