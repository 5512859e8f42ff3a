// The store works on a Prisma client built by the runtime (Node: better-sqlite3, Worker: D1).
// Only the type is imported here, so the core store never pulls a runtime's driver into a bundle.
import type { PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;

/** Prisma's unique-constraint violation. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

/** A time as Prisma stores DateTime in SQLite and D1 (ISO-8601 with +00:00), for raw statements. */
export const sqlTime = (d: Date): string => d.toISOString().replace("Z", "+00:00");

/** A DateTime column read by a raw statement: a Date on better-sqlite3, the stored text elsewhere. */
export const timeOf = (v: Date | string | number): Date => (v instanceof Date ? v : new Date(v));
