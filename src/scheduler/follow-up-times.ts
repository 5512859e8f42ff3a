// The tick's last ticket step: every ticket it found due (and every ticket changed since the last tick,
// marked stale by the triggers) gets its next follow-up time recomputed with the notices now claimed,
// so the next ticks do not read it again until then. Bounded per tick: a calendar change or an upgrade
// marks the whole backlog stale, and working through it takes a few ticks (the rest stay due meanwhile,
// which costs time, never a follow-up).
import { nextFollowUpAt } from "../core/follow-up.js";
import { dueForFollowUp, followUpRows, sentNotices, storeFollowUpTimes } from "../store/follow-up-times.js";
import type { Run } from "./run.js";

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
