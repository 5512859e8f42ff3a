// Keeping every process on the current calendar: sync before use, and once per calendar version the
// open tickets' deadlines recomputed (recorded in CalendarRecompute, so it is done once per change,
// whichever process or isolate made the change, and a crash halfway is finished by the next tick).
// The tick calls calendarUpkeep; an edit calls followCalendar at once so its author sees the moved
// deadlines in the reply.
import { isUniqueViolation } from "../../store/db.js";
import { markFollowUpsStale } from "../../store/follow-up-times.js";
import type { AppContext } from "../context.js";
import { refreshFeeds } from "./feeds.js";
import { recomputeDueDates, type RecomputeSummary } from "./recompute.js";

export const syncCalendar = (ctx: AppContext) => ctx.calendarData.sync(ctx.db);

/** Sync, then recompute the deadlines unless this calendar version was followed already. */
export async function followCalendar(ctx: AppContext, now: Date): Promise<RecomputeSummary | undefined> {
  const snap = await syncCalendar(ctx);
  const version = snap.version;
  if (await ctx.db.calendarRecompute.findUnique({ where: { version }, select: { version: true } })) return undefined;
  const summary = await recomputeDueDates(ctx, now);
  if (summary.moved) ctx.log.info("deadlines recomputed after a calendar change", { version, ...summary });
  // Recorded after the work (recomputing is idempotent): a crash halfway is finished by the next tick.
  if (summary.done && ctx.calendarData.current().version === version) {
    // Reminders, nudges and auto-close count working time too, whether or not a deadline moved: every
    // ticket's follow-up time is recomputed by the next ticks (once per version, not per unfinished run).
    await markFollowUpsStale(ctx.db);
    try {
      await ctx.db.calendarRecompute.create({ data: { version, at: now, moved: summary.moved } });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return summary;
}

/** The tick's calendar step: feeds when due (force: at start), then deadlines for any new version. */
export async function calendarUpkeep(ctx: AppContext, now: Date, o: { force?: boolean; fetch?: typeof fetch } = {}): Promise<RecomputeSummary | undefined> {
  await refreshFeeds(ctx, now, o);
  return followCalendar(ctx, now);
}
