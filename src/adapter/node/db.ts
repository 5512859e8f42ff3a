// The embedded default: SQLite through better-sqlite3 and Prisma's driver adapter.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client.js";
import type { Db } from "../../store/db.js";

export function createSqliteDb(file: string): Db {
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 15_000 });
  return new PrismaClient({ adapter });
}
