// Prepared statements kept between calls. Prisma's better-sqlite3 adapter prepares every statement
// again on each query (`this.client.prepare(query.sql).bind(args)` in @prisma/adapter-better-sqlite3's
// executeIO / performIO): under load that was ~11 % of the processing thread's CPU. No option turns a
// cache on, so the adapter's connection is wrapped: `prepare` answers from an LRU of statements, and the
// adapter's one-shot `bind(args)` becomes a view that passes the arguments to each call instead
// (better-sqlite3 binds a statement only once: https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#bindbindparameters---this).
import type { Database, Statement } from "better-sqlite3";

/** Enough for every statement shape the app runs; `IN (…)` lists of many lengths make more, the oldest go first. */
const MAX_STATEMENTS = 500;

type Args = unknown[];

/** What the adapter calls on a statement after `bind(args)`. */
/** Called before a statement that would take the write lock (not inside a transaction, which holds it). */
export type BeforeWrite = () => void;

function boundView(st: Statement, columns: () => ReturnType<Statement["columns"]>, args: Args, gate: () => void) {
  return {
    reader: st.reader,
    columns,
    run: () => (gate(), st.run(...args)),
    raw: () => ({ all: () => (gate(), st.raw(true).all(...args)) }),
  };
}

function cachedStatement(st: Statement, db: Database, beforeWrite?: BeforeWrite) {
  const gate = () => {
    if (beforeWrite && !st.reader && !db.inTransaction) beforeWrite();
  };
  // A statement's result columns are fixed once prepared (the schema is migrated before the first query).
  let cols: ReturnType<Statement["columns"]> | undefined;
  const columns = () => (cols ??= st.columns());
  return {
    get reader() {
      return st.reader;
    },
    bind: (args: Args) => boundView(st, columns, args, gate),
    run: (...args: Args) => (gate(), st.run(...args)),
    columns,
  };
}

/** The same connection, with `prepare` answered from a bounded cache. */
export function withStatementCache(db: Database, max = MAX_STATEMENTS, beforeWrite?: BeforeWrite): Database {
  const cache = new Map<string, ReturnType<typeof cachedStatement>>();
  const prepare = (sql: string) => {
    let hit = cache.get(sql);
    if (hit) {
      cache.delete(sql); // re-insert: Map order is the LRU order
    } else {
      hit = cachedStatement(db.prepare(sql), db, beforeWrite);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, hit);
    return hit;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return prepare;
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
