// Duplicate candidates for a new ticket: the same customer's or the same group's tickets of the window
// that are still open, or were closed within it (docs/intake.md). Bounded, newest first.
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
  description: string;
}

const ACTIVE = ["open", "in_progress", "resolved"];

export async function duplicateCandidates(db: Db, q: CandidateQuery): Promise<CandidateRow[]> {
  const who = [
    ...(q.customerId ? [{ customerId: q.customerId }] : []),
    ...(q.customerName ? [{ customerName: q.customerName }] : []),
    ...(q.chatId ? [{ platform: q.platform, chatId: q.chatId }] : []),
  ];
  if (!who.length) return [];
  return db.ticket.findMany({
    where: {
      receivedAt: { gte: q.since },
      OR: who,
      AND: [{ OR: [{ status: { in: ACTIVE } }, { status: { in: ["closed", "rejected"] }, closedAt: { gte: q.since } }] }],
    },
    select: { id: true, number: true, title: true, description: true },
    orderBy: { receivedAt: "desc" },
    take: q.limit,
  });
}
