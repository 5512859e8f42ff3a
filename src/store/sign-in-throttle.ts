// Failed console sign-ins per key (client address, account), in the database so every process and
// Worker isolate counts the same failures.
import type { Db } from "./db.js";

export interface ThrottlePolicy {
  /** Failures allowed before the first lock. */
  free: number;
  /** First lock; each further failure doubles it … */
  baseMs: number;
  /** … up to this. */
  maxMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetMs: number;
}

/** When the first of `keys` that is locked unlocks, or undefined when none is. */
export async function lockedUntil(db: Db, keys: string[], now: Date): Promise<Date | undefined> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } }, select: { lockedUntil: true } });
  const until = rows.map((r) => r.lockedUntil!.getTime());
  return until.length ? new Date(Math.max(...until)) : undefined;
}

/** Count one failure for `key`; returns the failures so far and the lock it earned, if any. */
export async function recordFailure(db: Db, key: string, policy: ThrottlePolicy, now: Date): Promise<{ failures: number; lockedUntil?: Date }> {
  const [, row] = await db.$transaction([
    // Quiet keys are forgotten — this one (it starts from zero) and any other, so the table stays small.
    db.signInThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - policy.forgetMs) } } }),
    db.signInThrottle.upsert({
      where: { key },
      create: { key, failures: 1, lastFailureAt: now },
      update: { failures: { increment: 1 }, lastFailureAt: now },
    }),
  ]);
  if (row.failures < policy.free) return { failures: row.failures };
  const lockMs = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, row.failures - policy.free));
  const until = new Date(now.getTime() + lockMs);
  await db.signInThrottle.update({ where: { key }, data: { lockedUntil: until } });
  return { failures: row.failures, lockedUntil: until };
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}
