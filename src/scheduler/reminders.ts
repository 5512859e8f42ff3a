// Deadline follow-ups (docs/spec.md "Follow-up rules"): reminders before the response and resolution
// deadlines, and at breach / second level the escalation (escalation.ts). One stage per ticket and
// deadline per tick: the latest whose moment has come, so a server back from downtime sends the
// escalation rather than a string of stale reminders.
import type { ReminderKind } from "../../cards/reminder.js";
import { elapsedMinutes } from "../core/sla.js";
import { deadlineCandidates, loadTickets, PAGE_SIZE, scan, type Candidate, type DeadlineKind } from "../store/due.js";
import { claimAndEnqueue, claimedKeys, deadlineClaimKey, type NoticeClaim } from "../store/notices.js";
import type { TicketRow } from "../store/tickets.js";
import { leadsOf } from "./audience.js";
import { escalate } from "./escalation.js";
import { followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, withinBudget, type Run } from "./run.js";
import { clockOf, currentStage, deadlineHorizons, deadlineStages, mayFireNow, type Stage } from "./stages.js";

const dueOf = (t: Candidate, kind: DeadlineKind) => (kind === "response" ? t.responseDueAt : t.resolutionDueAt);

/** One claim per ticket, deadline (at its current value: a changed deadline re-arms), stage and level. */
export const deadlineClaim = (t: Candidate, kind: DeadlineKind, stage: Stage): NoticeClaim => ({
  key: deadlineClaimKey(t.id, `${kind}.${stage.name}`, stage.level, dueOf(t, kind)),
  ticketId: t.id,
  kind: `${kind}.${stage.name}`,
  level: stage.level,
  at: dueOf(t, kind),
});

export async function runDeadlines(run: Run, kind: DeadlineKind): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const cal = ctx.calendar;
  const horizons = deadlineHorizons(cfg, cal, kind, now);
  const due: { t: Candidate; stage: Stage }[] = [];
  for await (const t of scan((after) => deadlineCandidates(ctx.db, kind, horizons, after, PAGE_SIZE, now), (t) => dueOf(t, kind))) {
    const clock = clockOf(cfg, t.priority);
    const stage = currentStage(deadlineStages(cfg, cal, clock, t.receivedAt, dueOf(t, kind)), now);
    if (!stage) continue;
    if (!mayFireNow(cal, clock, stage.at, now)) {
      run.summary.waiting++;
      continue;
    }
    due.push({ t, stage });
  }
  const taken = await claimedKeys(ctx.db, due.map((d) => deadlineClaim(d.t, kind, d.stage).key));
  const todo = due.filter((d) => !taken.has(deadlineClaim(d.t, kind, d.stage).key) && withinBudget(run));
  const rows = await loadTickets(ctx.db, todo.map((d) => d.t.id));
  for (const { t: c, stage } of todo) {
    const t = rows.get(c.id);
    // Changed since it was found (deadline moved, ticket gone): the next tick looks again.
    if (!t || t.waitingSince || dueOf(t, kind).getTime() !== dueOf(c, kind).getTime()) continue;
    const claim = deadlineClaim(t, kind, stage);
    if (stage.name === "before") await remind(run, t, kind, claim);
    else await escalate(run, t, kind, stage, claim);
  }
}

async function remind(run: Run, t: TicketRow, kind: DeadlineKind, claim: NoticeClaim): Promise<void> {
  const { ctx, now } = run;
  const clock = clockOf(ctx.config, t.priority);
  const due = dueOf(t, kind);
  const info = { kind: `${kind}.before` as ReminderKind, clock, due, minutes: elapsedMinutes(ctx.calendar, clock, now, due) };
  // Nobody assigned yet: the department's leads are the ones who must act.
  const people = t.handlerId ? [t.handlerId] : leadsOf(ctx.config, t.department);
  const msgs = await followUpMessages(ctx, t, { info, direct: people, mention: people, groups: "always" });
  const event = systemEvent(t.id, now, "reminder", { deadline: kind, stage: "before", level: claim.level, due: due.toISOString(), to: people, text: followUpText(ctx, t, info) });
  if (claimed(run, await claimAndEnqueue(ctx.db, claim, msgs, now, { after: [event] }))) run.summary.reminders++;
}
