// Webhook signatures already accepted. DingTalk's card-callback signature covers only its timestamp,
// so without this a captured header pair would authorise any body until the timestamp goes stale.
import { sqlTime, type Db } from "./db.js";

/** Claims a key: one row changed the first time, none on reuse (no thrown unique violation to catch). */
export const CLAIM_SIGNATURE_SQL = `INSERT INTO "UsedSignature" ("key", "expiresAt") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING`;
/** Entries past their window can no longer pass the timestamp check (an index range). */
export const PRUNE_SIGNATURES_SQL = `DELETE FROM "UsedSignature" WHERE "expiresAt" < ?`;
export const claimSignatureArgs = (key: string, expiresAt: Date) => [key, sqlTime(expiresAt)] as const;

/**
 * True the first time `key` is seen (it is then remembered until `expiresAt`), false on any reuse. On the
 * acknowledgement's path, so raw statements, as storeInbound. Node's HTTP thread runs the same two on its
 * inbox connection instead (src/adapter/node/inbox.ts), which never blocks its event loop.
 */
export async function firstUseOfSignature(db: Db, key: string, expiresAt: Date, now: Date): Promise<boolean> {
  if ((await db.$executeRawUnsafe(CLAIM_SIGNATURE_SQL, ...claimSignatureArgs(key, expiresAt))) === 0) return false;
  await db.$executeRawUnsafe(PRUNE_SIGNATURES_SQL, sqlTime(now));
  return true;
}
