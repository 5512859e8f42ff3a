// Duplicate candidates for a new ticket: the same customer's or the same group's tickets of the window
// that are still open, or were closed within it (docs/intake.md). Bounded, newest first.
import type { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db.js";

export interface CandidateQuery {
  platform: string;
  chatId?: string | null;
  customerId?: string | null;
  customerName?: string | null;
  since: Date;
  limit: number;
}

export interface CandidateRow {
  id: number;
  number: string;
  title: string;
  status: string;
  description: string;
  receivedAt: Date;
}

const ACTIVE = ["open", "in_progress", "resolved"];

/**
 * One query per key, each walking its own (key, receivedAt) index backwards: an OR of the three keys
 * makes SQLite scan the whole window by receivedAt (bench/scale/duplicates.ts measured it).
 */
export async function duplicateCandidates(db: Db, q: CandidateQuery): Promise<CandidateRow[]> {
  const keys: Prisma.TicketWhereInput[] = [
    ...(q.customerId ? [{ customerId: q.customerId }] : []),
    ...(q.customerName ? [{ customerName: q.customerName }] : []),
    ...(q.chatId ? [{ chatId: q.chatId, platform: q.platform }] : []),
  ];
  const lists = await Promise.all(
    keys.map((key) =>
      db.ticket.findMany({
        where: { ...key, receivedAt: { gte: q.since }, OR: [{ status: { in: ACTIVE } }, { status: { in: ["closed", "rejected"] }, closedAt: { gte: q.since } }] },
        select: { id: true, number: true, title: true, status: true, description: true, receivedAt: true },
        orderBy: { receivedAt: "desc" },
        take: q.limit,
      }),
    ),
  );
  const byId = new Map(lists.flat().map((r) => [r.id, r]));
  return [...byId.values()].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime()).slice(0, q.limit);
}
