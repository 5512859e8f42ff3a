// Secrets the server generates for itself (the console's session key when CHATDESK_SESSION_SECRET is
// unset). The first instance to start creates the row; every other instance, restart or Worker
// isolate reads the same value, so sessions signed by one are accepted by all.
import { isUniqueViolation, type Db } from "./db.js";

/** The stored secret `name`, created from `generate()` if there is none yet (first writer wins). */
export async function ensureServerSecret(db: Db, name: string, generate: () => string): Promise<string> {
  const found = await db.serverSecret.findUnique({ where: { name } });
  if (found) return found.value;
  try {
    return (await db.serverSecret.create({ data: { name, value: generate() } })).value;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Another instance created it between our read and our insert: theirs is the one.
    return (await db.serverSecret.findUniqueOrThrow({ where: { name } })).value;
  }
}
