// The store works on a Prisma client built by the runtime (Node: better-sqlite3, Worker: D1).
// Only the type is imported here, so the core store never pulls a runtime's driver into a bundle.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;

/** What runs statements: the client, or the transaction `inTransaction` hands out. */
export type Queries = Prisma.TransactionClient;

/** Waiting for the connection and running the body: generous, so a queue of creations under load is not cut off. */
const TRANSACTION_MS = 15_000;

/**
 * Run `body` in one interactive transaction: on SQLite all or nothing. D1 has none — the Worker's client
 * runs the body's statements one by one, in order (adapter/worker/db.ts) — so callers order them to be
 * safe to redo (the last one marks the work done). Keep the body to statements and plain computation:
 * on better-sqlite3 the transaction holds the one connection (and SQLite's write lock) until it ends.
 */
export const inTransaction = <T>(db: Db, body: (tx: Queries) => Promise<T>): Promise<T> =>
  db.$transaction(body, { maxWait: TRANSACTION_MS, timeout: TRANSACTION_MS });

/** Prisma's unique-constraint violation. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

/** A time as Prisma stores DateTime in SQLite and D1 (ISO-8601 with +00:00), for raw statements. */
export const sqlTime = (d: Date): string => d.toISOString().replace("Z", "+00:00");

/** A DateTime column read by a raw statement: a Date on better-sqlite3, the stored text elsewhere. */
export const timeOf = (v: Date | string | number): Date => (v instanceof Date ? v : new Date(v));
