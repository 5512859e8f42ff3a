// Webhook signatures already accepted. DingTalk's card-callback signature covers only its timestamp,
// so without this a captured header pair would authorise any body until the timestamp goes stale.
import { isUniqueViolation, type Db } from "./db.js";

/** True the first time `key` is seen (it is then remembered until `expiresAt`), false on any reuse. */
export async function firstUseOfSignature(db: Db, key: string, expiresAt: Date, now: Date): Promise<boolean> {
  try {
    await db.usedSignature.create({ data: { key, expiresAt } });
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
  // Entries past their window can no longer pass the timestamp check; drop them (index range).
  await db.usedSignature.deleteMany({ where: { expiresAt: { lt: now } } });
  return true;
}
