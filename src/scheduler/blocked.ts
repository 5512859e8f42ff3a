// Blocked work (受阻: 资源不足, waiting on another department) goes up within a working day (docs/spec.md
// "Follow-up rules"): the department's leads hear at once when a ticket is marked blocked, and if it is
// still blocked after reminders.blockedEscalateAfter (one working day by default, in the ticket's policy
// clock) the managers do. Each is claimed once per blocked episode: the key holds blockedAt, so a
// ticket blocked again later goes up again. Same crash-safe order as every follow-up (store/notices.ts).
import type { ReminderInfo } from "../../cards/reminder.js";
import type { AppContext } from "../app/context.js";
import { deliverSoon } from "../app/deliver.js";
import type { WorkflowConfig } from "../config/schema.js";
import type { WorkCalendar } from "../core/calendar.js";
import { blockedStages as coreBlockedStages } from "../core/follow-up.js";
import { elapsedMinutes, slaOf, subtractPolicyDuration } from "../core/sla.js";
import { PRIORITIES } from "../core/types.js";
import { blockedCandidates, loadTickets, PAGE_SIZE, scan, type Candidate, type Horizons } from "../store/due.js";
import { claimAndEnqueue, claimedKeys, type NoticeClaim } from "../store/notices.js";
import type { TicketRow } from "../store/tickets.js";
import { leadsOf, managersOf, personLabel } from "./audience.js";
import { refreshCards } from "./escalation.js";
import { followUpBase, followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, newRun, withinBudget, type Run } from "./run.js";
import { clockOf, currentStage, mayFireNow, type Stage } from "./stages.js";

type BlockedTicket = TicketRow & { blockedAt: Date };
type BlockedCandidate = Candidate & { blockedAt: Date };

/** level 1 "lead" at blockedAt, level 2 "escalate" (managers) after the configured window. */
export const blockedStages = (cfg: WorkflowConfig, cal: WorkCalendar, t: BlockedCandidate): Stage[] => coreBlockedStages(cfg, cal, clockOf(cfg, t.priority), t.blockedAt);

const stageKind = (s: Stage) => (s.level === 1 ? "blocked.lead" : "blocked.escalate");

export const blockedClaim = (t: BlockedCandidate, stage: Stage): NoticeClaim => ({
  key: `ticket:${t.id}:${stageKind(stage)}:${t.blockedAt.getTime()}`,
  ticketId: t.id,
  kind: stageKind(stage),
  level: stage.level,
  at: t.blockedAt,
});

/** Per priority, the latest blockedAt for which the manager escalation can be due now. */
export function blockedHorizons(cfg: WorkflowConfig, cal: WorkCalendar, now: Date): Required<Horizons> {
  const out = {} as Required<Horizons>;
  for (const p of PRIORITIES) out[p] = new Date(subtractPolicyDuration(cal, slaOf(cfg.sla, p).clock, now, cfg.reminders.blockedEscalateAfter).getTime() + 60_000);
  return out;
}

/** Right after a ticket is marked blocked: its leads get the card now, not on the next tick. */
export async function announceBlocked(ctx: AppContext, t: TicketRow): Promise<void> {
  if (!t.blockedAt) return;
  const bt = t as BlockedTicket;
  const run = newRun(ctx, ctx.now());
  const stage = blockedStages(ctx.config, ctx.calendar, bt)[0]!;
  await goUp(run, bt, stage, blockedClaim(bt, stage));
  if (run.enqueued.length) deliverSoon(run.ctx, run.enqueued);
}

/** The tick's step: the manager escalation when due, and any lead notice a crash left unsent. */
export async function runBlocked(run: Run): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const due: { t: BlockedCandidate; stage: Stage }[] = [];
  const horizons = blockedHorizons(cfg, ctx.calendar, now);
  for await (const row of scan((after) => blockedCandidates(ctx.db, horizons, now, after, PAGE_SIZE, now), (t) => t.blockedAt!)) {
    const t = row as BlockedCandidate;
    const stage = currentStage(blockedStages(cfg, ctx.calendar, t), now);
    if (!stage) continue;
    if (!mayFireNow(ctx.calendar, clockOf(cfg, t.priority), stage.at, now)) {
      run.summary.waiting++;
      continue;
    }
    due.push({ t, stage });
  }
  const taken = await claimedKeys(ctx.db, due.map((d) => blockedClaim(d.t, d.stage).key));
  const todo = due.filter((d) => !taken.has(blockedClaim(d.t, d.stage).key) && withinBudget(run));
  const rows = await loadTickets(ctx.db, todo.map((d) => d.t.id));
  for (const { t: c, stage } of todo) {
    const t = rows.get(c.id);
    // Unblocked or blocked again since it was found: the next tick looks again.
    if (!t?.blockedAt || t.blockedAt.getTime() !== c.blockedAt.getTime()) continue;
    const bt = t as BlockedTicket;
    const claim = blockedClaim(bt, stage);
    if (await goUp(run, bt, stage, claim)) await refreshCards(run, t.id);
  }
}

/** Level 1: the leads directly (groups only when none can be reached). Level 2: the managers, and both groups with them @mentioned. */
async function goUp(run: Run, t: BlockedTicket, stage: Stage, claim: NoticeClaim): Promise<boolean> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const clock = clockOf(cfg, t.priority);
  const second = stage.level === 2;
  const leads = leadsOf(cfg, t.department);
  // A department without leads goes straight to its managers.
  const up = second || !leads.length ? managersOf(cfg, t.department) : leads;
  // Who marked it blocked may be someone outside the workflow file: named from the cache, with the card's names.
  const base = await followUpBase(ctx, t);
  const who = (id: string) => personLabel(cfg, id, base.names);
  const info: ReminderInfo = {
    kind: second ? "blocked.escalate" : "blocked",
    clock,
    minutes: elapsedMinutes(ctx.calendar, clock, t.blockedAt, now),
    to: up.map(who),
    blocked: { reason: t.blockedReason ?? "", by: t.blockedBy ? who(t.blockedBy) : "", since: t.blockedAt },
  };
  const handler = t.handlerId ? [t.handlerId] : [];
  const msgs = await followUpMessages(ctx, t, { info, direct: up, mention: second ? [...handler, ...up] : up, groups: second ? "always" : "fallback" }, base);
  const event = systemEvent(t.id, now, "escalated", { blocked: true, level: stage.level, blockedAt: t.blockedAt.toISOString(), reason: t.blockedReason, to: up, text: followUpText(ctx, t, info) });
  if (!claimed(run, await claimAndEnqueue(ctx.db, claim, msgs, now, { after: [event] }))) return false;
  run.summary.escalations++;
  return true;
}
