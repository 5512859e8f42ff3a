// Progress nudges (同步进展): an in-progress ticket without an update for a window (one working day
// by default) nudges its handler, and again after each further quiet window.
import { elapsedMinutes } from "../core/sla.js";
import { loadTickets, oldestQuiet, quietCandidates, PAGE_SIZE, scan, type Candidate } from "../store/due.js";
import { claimAndEnqueue, claimedKeys, type NoticeClaim } from "../store/notices.js";
import { leadsOf } from "./audience.js";
import { followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, withinBudget, type Run } from "./run.js";
import { clockOf, mayFireNow, nudgeLevels, nudgeStage, quietHorizons } from "./stages.js";

/** One claim per quiet spell (its last progress) and window count. */
export const nudgeClaim = (t: Candidate, level: number): NoticeClaim => ({
  key: `ticket:${t.id}:nudge:${level}:${t.lastProgressAt.getTime()}`,
  ticketId: t.id,
  kind: "nudge",
  level,
  at: t.lastProgressAt,
});

export async function runNudges(run: Run): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const due: { t: Candidate; level: number }[] = [];
  const horizons = quietHorizons(cfg, ctx.calendar, now);
  if (!Object.keys(horizons).length) return;
  const levels = nudgeLevels(cfg, ctx.calendar, now, horizons, await oldestQuiet(ctx.db));
  for await (const t of scan((after) => quietCandidates(ctx.db, horizons, levels, after, PAGE_SIZE, now), (t) => t.lastProgressAt)) {
    const clock = clockOf(cfg, t.priority);
    const stage = nudgeStage(cfg, ctx.calendar, clock, t.lastProgressAt, now);
    if (!stage) continue;
    if (!mayFireNow(ctx.calendar, clock, stage.at, now)) {
      run.summary.waiting++;
      continue;
    }
    due.push({ t, level: stage.level });
  }
  const taken = await claimedKeys(ctx.db, due.map((d) => nudgeClaim(d.t, d.level).key));
  const todo = due.filter((d) => !taken.has(nudgeClaim(d.t, d.level).key) && withinBudget(run));
  const rows = await loadTickets(ctx.db, todo.map((d) => d.t.id));
  for (const { t: c, level } of todo) {
    const t = rows.get(c.id);
    // Progress since it was found: a new quiet spell, looked at on the next tick.
    if (!t || t.waitingSince || t.lastProgressAt.getTime() !== c.lastProgressAt.getTime()) continue;
    const claim = nudgeClaim(t, level);
    const clock = clockOf(cfg, t.priority);
    const info = { kind: "nudge" as const, clock, minutes: elapsedMinutes(ctx.calendar, clock, t.lastProgressAt, now) };
    const people = t.handlerId ? [t.handlerId] : leadsOf(cfg, t.department);
    // The handler directly; the group only when the handler cannot be reached on the platform.
    const msgs = await followUpMessages(ctx, t, { info, direct: people, mention: people, groups: "fallback" });
    const event = systemEvent(t.id, now, "nudge", { level, lastProgressAt: t.lastProgressAt.toISOString(), to: people, text: followUpText(ctx, t, info) });
    if (claimed(run, await claimAndEnqueue(ctx.db, claim, msgs, now, { after: [event] }))) run.summary.nudges++;
  }
}
