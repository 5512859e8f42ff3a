// The embedded default: SQLite through better-sqlite3 and Prisma's driver adapter.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { Database } from "better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client.js";
import type { Db } from "../../store/db.js";
import { withStatementCache, type BeforeWrite } from "./statement-cache.js";

/** A thread waits its turn for SQLite's one writer rather than failing: the same bound as the busy timeout. */
const WRITER_WAIT_MS = 15_000;

/** Prisma's factory, with each connection's statements cached (statement-cache.ts). */
class CachedBetterSqlite3 extends PrismaBetterSqlite3 {
  constructor(
    config: ConstructorParameters<typeof PrismaBetterSqlite3>[0],
    private readonly beforeWrite?: BeforeWrite,
  ) {
    super(config);
  }
  override async connect() {
    const adapter = await super.connect();
    const conn = adapter as unknown as { client: Database };
    conn.client = withStatementCache(conn.client, undefined, this.beforeWrite);
    return adapter;
  }
}

/** `beforeWrite`: the processing worker gives way to waiting acknowledgements there (ack-priority.ts). */
export function createSqliteDb(file: string, beforeWrite?: BeforeWrite): Db {
  const adapter = new CachedBetterSqlite3({ url: file, timeout: WRITER_WAIT_MS }, beforeWrite);
  // Prisma's default maxWait (2 s) for a transaction's turn on the connection failed bookkeeping under
  // load ("Operation has timed out") and so re-sent cards that had gone out; wait as long as SQLite does.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: WRITER_WAIT_MS } });
}
