// The playground clock: the bot's shared clock moved forward, then one scheduler tick at the new
// instant, so reminders, escalations, nudges, auto-close and digests arrive as they would have.
import type { AppContext } from "../app/context.js";
import { latestOccurrence, parseCron } from "../core/cron.js";
import { addPolicyDuration, durationMinutes } from "../core/sla.js";
import type { SharedClock } from "../adapter/node/clock.js";
import { clockOf, confirmStages, deadlineStages, nudgeStage } from "../scheduler/stages.js";
import { tick, type TickSummary } from "../scheduler/tick.js";
import type { World } from "./world.js";

export interface TimeDeps {
  ctx: AppContext;
  clock: SharedClock;
  world: World;
}

export interface Jump {
  from: string;
  to: string;
  summary: TickSummary;
}

const acted = (s: TickSummary) => s.reminders + s.escalations + s.nudges + s.confirmReminders + s.autoClosed + s.digests;

/** Never backwards: a ticket's times must stay in its past. */
async function jumpTo(d: TimeDeps, to: Date): Promise<Jump> {
  const from = d.clock.now();
  const ms = Math.max(0, to.getTime() - from.getTime());
  d.clock.setOffsetMs(d.clock.offsetMs() + ms);
  d.world.clockOffsetMs = d.clock.offsetMs();
  const now = d.clock.now();
  return { from: from.toISOString(), to: now.toISOString(), summary: await tick(d.ctx, now) };
}

export const plusHour = (d: TimeDeps) => jumpTo(d, new Date(d.clock.now().getTime() + 60 * 60_000));

/** One working day of working time later (Friday 17:00 → Monday 17:00). */
export const plusWorkingDay = (d: TimeDeps) => jumpTo(d, addPolicyDuration(d.ctx.calendar, "working", d.clock.now(), "1d"));

/** The earliest follow-up of any open ticket after `now`, from the scheduler's own stage rules. */
export async function nextFollowUp(ctx: AppContext, now: Date): Promise<Date | undefined> {
  const cfg = ctx.config;
  const cal = ctx.calendar;
  const rows = await ctx.db.ticket.findMany({ where: { status: { in: ["open", "in_progress", "resolved"] } }, take: 1000 });
  const times: Date[] = [];
  for (const t of rows) {
    const clock = clockOf(cfg, t.priority);
    if (t.status === "resolved") {
      const s = confirmStages(cfg, cal, clock, t.resolvedAt ?? t.updatedAt);
      times.push(...[s.remindAt, s.closeAt].filter((x): x is Date => !!x));
      continue;
    }
    // A waiting ticket's clocks stand still: only the reporter's reminder can come.
    if (t.waitingSince) {
      times.push(addPolicyDuration(cal, clock, t.waitingSince, cfg.reminders.waitingRemindAfter));
      continue;
    }
    if (!t.firstResponseAt) times.push(...deadlineStages(cfg, cal, clock, t.receivedAt, t.responseDueAt).map((s) => s.at));
    times.push(...deadlineStages(cfg, cal, clock, t.receivedAt, t.resolutionDueAt).map((s) => s.at));
    if (t.status === "in_progress") {
      const window = durationMinutes(cfg.reminders.progressNudgeAfter, clock, cal);
      const level = nudgeStage(cfg, cal, clock, t.lastProgressAt, now)?.level ?? 0;
      if (window > 0) times.push(addPolicyDuration(cal, clock, t.lastProgressAt, (level + 1) * window));
    }
    if (t.blockedAt) times.push(addPolicyDuration(cal, clock, t.blockedAt, cfg.reminders.blockedEscalateAfter));
  }
  return times.filter((x) => x > now).sort((a, b) => a.getTime() - b.getTime())[0];
}

/** To the next follow-up that actually goes out (a working-clock one waits for working time). */
export async function toNextReminder(d: TimeDeps): Promise<Jump | undefined> {
  let last: Jump | undefined;
  for (let i = 0; i < 12; i++) {
    const at = await nextFollowUp(d.ctx, d.clock.now());
    if (!at) return last;
    const j = await jumpTo(d, new Date(at.getTime() + 1_000));
    last = last ? { ...j, from: last.from } : j;
    if (acted(j.summary)) return last;
    // Held back outside working time: try again from the next working period.
    const start = d.ctx.calendar.nextWorkingStart(d.clock.now());
    if (start > d.clock.now()) {
      const w = await jumpTo(d, start);
      last = { ...w, from: last.from };
      if (acted(w.summary)) return last;
    }
  }
  return last;
}

/** The next moment the daily digest goes out (today's, if it is still to come): the clock goes there. */
export async function toDailyDigest(d: TimeDeps): Promise<Jump | undefined> {
  const expr = d.ctx.config.schedule.dailyDigest;
  if (expr === "off") return undefined;
  const cal = d.ctx.calendar;
  const spec = parseCron(expr);
  const now = d.clock.now();
  const today = cal.localDate(now);
  for (let i = 0; i <= 31; i++) {
    const date = cal.addLocalDays(today, i);
    if (!cal.isWorkingDay(date)) continue;
    const endOfDay = new Date(cal.startOfLocalDay(cal.addLocalDays(date, 1)).getTime() - 1);
    const at = latestOccurrence(spec, cal, endOfDay, { day: (x) => cal.isWorkingDay(x), maxDays: 0 });
    if (at && at > now) return jumpTo(d, new Date(at.getTime() + 1_000));
  }
  return undefined;
}

export function resetClock(d: TimeDeps): void {
  d.clock.setOffsetMs(0);
  d.world.clockOffsetMs = 0;
}
