// What the console keeps between requests in one process (Node) or isolate (Worker): the key that signs
// cookies, and a short cache of session look-ups. Everything authoritative is in the database.
import { ensureServerSecret } from "../store/server-secrets.js";
import { findConsoleSession, type ConsoleSessionRow } from "../store/console-sessions.js";
import type { Db } from "../store/db.js";
import { hmacSigner, randomToken, type Signer } from "./crypto.js";

/** How long a session look-up is reused: a logout elsewhere takes effect here within this. */
export const SESSION_CACHE_MS = 5_000;
const CACHE_MAX = 5_000;

export const SESSION_KEY_NAME = "console-session-key";

export interface ConsoleState {
  /** The cookie-signing key: CHATDESK_SESSION_SECRET, else the one kept in the database (made on first use). */
  signer(db: Db): Promise<Signer>;
  /** The session row for a hashed id, from the cache when looked up less than SESSION_CACHE_MS ago. */
  session(db: Db, id: string, nowMs: number): Promise<ConsoleSessionRow | null>;
  /** Forget a cached look-up (after this process changed the row). */
  forget(id: string): void;
}

export function createConsoleState(configuredSecret?: string): ConsoleState {
  let signer: Promise<Signer> | undefined = configuredSecret ? Promise.resolve(hmacSigner(configuredSecret)) : undefined;
  const cache = new Map<string, { row: ConsoleSessionRow | null; until: number }>();
  return {
    signer(db) {
      // Never derived from another credential: 32 random bytes, stored once, shared by every instance.
      signer ??= ensureServerSecret(db, SESSION_KEY_NAME, () => randomToken(32)).then(hmacSigner, (e: unknown) => {
        signer = undefined; // a database hiccup is retried on the next request, not remembered
        throw e;
      });
      return signer;
    },
    async session(db, id, nowMs) {
      const hit = cache.get(id);
      // (A clock that moved back, as tests do, is a miss too.)
      if (hit && hit.until > nowMs && hit.until - SESSION_CACHE_MS <= nowMs) return hit.row;
      const row = await findConsoleSession(db, id);
      cache.delete(id);
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(id, { row, until: nowMs + SESSION_CACHE_MS });
      return row;
    },
    forget(id) {
      cache.delete(id);
    },
  };
}
