// The tick's last ticket step: every ticket it found due (and every ticket changed since the last tick,
// marked stale by the triggers) gets its next follow-up time recomputed with the notices now claimed,
// so the next ticks do not read it again until then. Bounded per tick: a calendar change or an upgrade
// marks the whole backlog stale, and working through it takes a few ticks (the rest stay due meanwhile,
// which costs time, never a follow-up).
import type { AppContext } from "../app/context.js";
import { nextFollowUpAt } from "../core/follow-up.js";
import { isUniqueViolation } from "../store/db.js";
import { dueForFollowUp, followUpRows, markFollowUpsStale, sentNotices, storeFollowUpTimes } from "../store/follow-up-times.js";
import type { Run } from "./run.js";

/** FNV-1a, 32 bits: a short fingerprint, not a secret (the same code on Node and Workers). */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The rules the stored follow-up times were computed with (SLA and reminders). */
export const rulesFingerprint = (cfg: Pick<AppContext["config"], "sla" | "reminders">): string => fingerprint(JSON.stringify({ sla: cfg.sla, reminders: cfg.reminders }));

/**
 * The stored times follow the workflow's SLA and reminder rules: when a restart or a deploy brings other
 * rules, every ticket is looked at again once (FollowUpRules records the rules' fingerprints seen).
 */
export async function followPolicy(ctx: AppContext, now: Date): Promise<boolean> {
  const key = rulesFingerprint(ctx.config);
  if (await ctx.db.followUpRules.findUnique({ where: { fingerprint: key }, select: { fingerprint: true } })) return false;
  await markFollowUpsStale(ctx.db);
  try {
    await ctx.db.followUpRules.create({ data: { fingerprint: key, at: now } });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  return true;
}

/** Tickets recomputed per tick at most. */
export const MAX_RECOMPUTE = 5000;
const CHUNK = 500;

export async function runFollowUpTimes(run: Run, max = MAX_RECOMPUTE): Promise<void> {
  const { ctx, now } = run;
  const ids = await dueForFollowUp(ctx.db, now, max);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const [rows, sent] = await Promise.all([followUpRows(ctx.db, chunk), sentNotices(ctx.db, chunk)]);
    const times = rows.map((t) => ({ id: t.id, version: t.version, at: nextFollowUpAt(ctx.config, ctx.calendar, t, sent.get(t.id) ?? [], now) }));
    await storeFollowUpTimes(ctx.db, times);
    run.summary.followUpTimes += times.length;
  }
}
