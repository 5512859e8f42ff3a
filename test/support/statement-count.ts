// Every SQL statement the Node server sends to SQLite, seen where better-sqlite3 runs it
// (BEGIN and COMMIT included), so a test can count statements and write transactions
// for one piece of work. Works with inline processing (same thread as the test).
import Database from "better-sqlite3";

export interface StatementTally {
  /** Statements other than BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE. */
  statements: number;
  /** Transactions that wrote: BEGIN…COMMIT blocks with a write in them, and each write outside one. */
  writeTransactions: number;
  /** Every statement text in order, for the failure message. */
  sql: string[];
}

const CONTROL = /^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
const WRITE = /^(INSERT|UPDATE|DELETE|REPLACE|WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE))\b/i;

export function tally(sql: string[]): StatementTally {
  let statements = 0;
  let writeTransactions = 0;
  let inTx = false;
  let txWrote = false;
  for (const raw of sql) {
    const s = raw.trim();
    if (/^BEGIN\b/i.test(s)) [inTx, txWrote] = [true, false];
    else if (/^(COMMIT|END|ROLLBACK)\b/i.test(s) && !/^ROLLBACK\s+TO\b/i.test(s)) {
      if (inTx && txWrote) writeTransactions++;
      inTx = false;
    } else if (!CONTROL.test(s)) {
      statements++;
      if (WRITE.test(s)) {
        if (inTx) txWrote = true;
        else writeTransactions++;
      }
    }
  }
  return { statements, writeTransactions, sql };
}

/**
 * Record the statements run while `fn` runs (the server must process inline). Counted where a statement
 * runs (better-sqlite3's Statement run / all / get / iterate), not where it is prepared: the server's
 * statement cache (src/adapter/node/statement-cache.ts) prepares each text once.
 */
export async function countStatements(fn: () => Promise<void>): Promise<StatementTally> {
  const probe = new Database(":memory:");
  const proto = Object.getPrototypeOf(probe.prepare("SELECT 1")) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  const seen: string[] = [];
  const originals = (["run", "all", "get", "iterate"] as const).map((m) => [m, proto[m]!] as const);
  for (const [m, original] of originals) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      seen.push(this.source);
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    for (const [m, original] of originals) proto[m] = original;
  }
  return tally(seen);
}
