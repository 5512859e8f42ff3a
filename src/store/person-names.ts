// The name cache (PersonName): display names of people who are not in the workflow file, by platform
// user id, with when they were fetched so app/names.ts knows when to ask the platform again.
import type { Db } from "./db.js";

export interface PersonRef {
  platform: string;
  userId: string;
}

export interface CachedName extends PersonRef {
  name: string;
  source: string;
  fetchedAt: Date;
}

/** The cached rows for these people, in one query. */
export async function readNames(db: Db, refs: PersonRef[]): Promise<CachedName[]> {
  if (!refs.length) return [];
  return db.personName.findMany({ where: { OR: refs.map((r) => ({ platform: r.platform, userId: r.userId })) } });
}

export async function saveName(db: Db, row: CachedName): Promise<void> {
  const key = { platform_userId: { platform: row.platform, userId: row.userId } };
  await db.personName.upsert({ where: key, create: row, update: { name: row.name, source: row.source, fetchedAt: row.fetchedAt } });
}
