// Progress nudges (同步进展): an in-progress ticket without an update for a window (one working day
// by default) nudges its handler, and again after each further quiet window.
import { elapsedMinutes } from "../core/sla.js";
import { quietCandidates, scan } from "../store/due.js";
import { claimAndEnqueue, claimedKeys, type NoticeClaim } from "../store/notices.js";
import type { TicketRow } from "../store/tickets.js";
import { leadsOf } from "./audience.js";
import { followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, withinBudget, type Run } from "./run.js";
import { clockOf, mayFireNow, nudgeStage, quietHorizons } from "./stages.js";

/** One claim per quiet spell (its last progress) and window count. */
export const nudgeClaim = (t: TicketRow, level: number): NoticeClaim => ({
  key: `ticket:${t.id}:nudge:${level}:${t.lastProgressAt.getTime()}`,
  ticketId: t.id,
  kind: "nudge",
  level,
  at: t.lastProgressAt,
});

export async function runNudges(run: Run): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const due: { t: TicketRow; level: number }[] = [];
  for await (const t of scan((after) => quietCandidates(ctx.db, quietHorizons(cfg, ctx.calendar, now), after), (t) => t.lastProgressAt)) {
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
  for (const { t, level } of due) {
    const claim = nudgeClaim(t, level);
    if (taken.has(claim.key) || !withinBudget(run)) continue;
    const clock = clockOf(cfg, t.priority);
    const info = { kind: "nudge" as const, clock, minutes: elapsedMinutes(ctx.calendar, clock, t.lastProgressAt, now) };
    const people = t.handlerId ? [t.handlerId] : leadsOf(cfg, t.department);
    // The handler directly; the group only when the handler cannot be reached on the platform.
    const msgs = await followUpMessages(ctx, t, { info, direct: people, mention: people, groups: "fallback" });
    const event = systemEvent(t.id, now, "nudge", { level, lastProgressAt: t.lastProgressAt.toISOString(), to: people, text: followUpText(ctx, t, info) });
    if (claimed(run, await claimAndEnqueue(ctx.db, claim, msgs, now, { after: [event] }))) run.summary.nudges++;
  }
}
