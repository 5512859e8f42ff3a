// The acknowledgement's writes (the event, a webhook signature's first use), on the HTTP thread's own
// SQLite connection without blocking its event loop.
// better-sqlite3 is synchronous: with a busy timeout, a write that meets the processing worker's open
// transaction sleeps inside SQLite (its busy handler), and every connection of this thread waits with it
// — measured under load, the one-row INSERT took 712 µs on average against 63 µs alone. So this
// connection never waits inside SQLite (timeout 0): a busy write gives the loop back and tries again
// after a short, growing pause (https://www.sqlite.org/rescode.html#busy), while the worker gives way.
import Database from "better-sqlite3";
import type { AckPriority } from "./ack-priority.js";
import { sqlTime } from "../../store/db.js";
import { STORE_INBOUND_SQL, storeInboundArgs, type InboundRow, type InboundWriter } from "../../store/inbound.js";
import { CLAIM_SIGNATURE_SQL, PRUNE_SIGNATURES_SQL, claimSignatureArgs } from "../../store/used-signatures.js";

/** As long as a Prisma write on the server waits for its turn (db.ts). */
const GIVE_UP_MS = 15_000;
const FIRST_PAUSE_MS = 0.5;
const MAX_PAUSE_MS = 4;

const isBusy = (e: unknown) => (e as { code?: string })?.code === "SQLITE_BUSY" || (e as { code?: string })?.code === "SQLITE_BUSY_SNAPSHOT";
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface NodeInbox extends InboundWriter {
  close(): void;
}

/** `priority`: shared with the processing worker, which gives way while an insert here waits (ack-priority.ts). */
export function createNodeInbox(file: string, priority?: AckPriority): NodeInbox {
  const db = new Database(file, { timeout: 0 });
  const insert = db.prepare(STORE_INBOUND_SQL);
  const claim = db.prepare(CLAIM_SIGNATURE_SQL);
  const prune = db.prepare(PRUNE_SIGNATURES_SQL);
  // Claim and prune together: BEGIN IMMEDIATE is the one statement that can be busy, so a retry never
  // finds its own claim from a half-done attempt (and takes the key's first use for a reuse).
  const claimOnce = db.transaction((key: string, expiresAt: Date, now: Date) => {
    if (claim.run(...claimSignatureArgs(key, expiresAt)).changes === 0) return false;
    prune.run(sqlTime(now));
    return true;
  });

  /** Run a write, giving the loop back while another connection holds the write lock. */
  async function write<T>(run: () => T): Promise<T> {
    const until = Date.now() + GIVE_UP_MS;
    let done: (() => void) | undefined;
    try {
      for (let wait = FIRST_PAUSE_MS; ; wait = Math.min(wait * 2, MAX_PAUSE_MS)) {
        try {
          return run();
        } catch (e) {
          if (!isBusy(e) || Date.now() > until) throw e;
        }
        done ??= priority?.waiting();
        await pause(wait);
      }
    } finally {
      done?.();
    }
  }

  return {
    store: (row: InboundRow) => {
      const args = storeInboundArgs(row);
      return write(() => insert.run(...args).changes > 0);
    },
    claimSignature: (key, expiresAt, now) => write(() => claimOnce.immediate(key, expiresAt, now)),
    close: () => db.close(),
  };
}
