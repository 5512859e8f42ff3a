// The store works on a Prisma client built by the runtime (Node: better-sqlite3, Worker: D1).
// Only the type is imported here, so the core store never pulls a runtime's driver into a bundle.
import type { PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;

/** Prisma's unique-constraint violation. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
