// Console sessions, server-side: a row per sign-in, looked up by primary key on every request, revoked
// on logout and when the person leaves the workflow file. The id is the SHA-256 of the cookie's
// random session id, so the table alone cannot be replayed as cookies.
import type { ConsoleSession } from "../generated/prisma/client.js";
import type { Db } from "./db.js";

export type ConsoleSessionRow = ConsoleSession;

export type RevokeReason = "logout" | "removed from the workflow file";

/** Expired rows are kept this long after expiry (for the record), then pruned. */
const KEEP_EXPIRED_MS = 7 * 86_400_000;

export async function createConsoleSession(
  db: Db,
  s: { id: string; personId: string; name: string; via: string; admin: boolean; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.consoleSession.create({ data: s });
  // Sign-ins are rare, so this is where the table is kept small (an index range on expiresAt).
  await db.consoleSession.deleteMany({ where: { expiresAt: { lt: new Date(s.createdAt.getTime() - KEEP_EXPIRED_MS) } } });
}

export const findConsoleSession = (db: Db, id: string): Promise<ConsoleSessionRow | null> => db.consoleSession.findUnique({ where: { id } });

export async function revokeConsoleSession(db: Db, id: string, why: RevokeReason, now: Date): Promise<void> {
  await db.consoleSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedWhy: why } });
}

/** Ends every live session of a person who is no longer configured; returns how many. */
export async function revokeSessionsOfRemovedPeople(db: Db, configured: string[], now: Date): Promise<number> {
  const r = await db.consoleSession.updateMany({
    where: { revokedAt: null, admin: false, expiresAt: { gt: now }, personId: { notIn: configured } },
    data: { revokedAt: now, revokedWhy: "removed from the workflow file" },
  });
  return r.count;
}
