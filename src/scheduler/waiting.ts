// A ticket waiting on the customer or a third party (待客户反馈 / 待第三方) longer than
// reminders.waitingRemindAfter (in the ticket's policy clock) reminds its reporter, in the ticket's own
// thread, to chase the customer. Once per waiting stretch: the claim key holds waitingSince, so a ticket
// that waits again later is reminded again. Same crash-safe order as every follow-up (store/notices.ts).
import type { ReminderInfo } from "../../cards/reminder.js";
import type { WorkflowConfig } from "../config/schema.js";
import type { WorkCalendar } from "../core/calendar.js";
import { addPolicyDuration, elapsedMinutes, slaOf, subtractPolicyDuration } from "../core/sla.js";
import { PRIORITIES, type Priority } from "../core/types.js";
import { loadTickets } from "../store/due.js";
import { claimAndEnqueue, claimedKeys, type NoticeClaim } from "../store/notices.js";
import type { TicketRow } from "../store/tickets.js";
import { waitingCandidates } from "../store/waiting-due.js";
import { followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, withinBudget, type Run } from "./run.js";
import { clockOf, mayFireNow } from "./stages.js";

export const waitingClaim = (t: { id: number; waitingSince: Date }): NoticeClaim => ({
  key: `ticket:${t.id}:waiting.remind:${t.waitingSince.getTime()}`,
  ticketId: t.id,
  kind: "waiting.remind",
  level: 1,
  at: t.waitingSince,
});

/** When the reminder of a stretch that began at `since` is due. */
export const waitingRemindAt = (cfg: WorkflowConfig, cal: WorkCalendar, priority: string, since: Date): Date =>
  addPolicyDuration(cal, clockOf(cfg, priority), since, cfg.reminders.waitingRemindAfter);

function horizons(cfg: WorkflowConfig, cal: WorkCalendar, now: Date): Record<Priority, Date> {
  const out = {} as Record<Priority, Date>;
  for (const p of PRIORITIES) out[p] = new Date(subtractPolicyDuration(cal, slaOf(cfg.sla, p).clock, now, cfg.reminders.waitingRemindAfter).getTime() + 60_000);
  return out;
}

/** The tick's step. */
export async function runWaiting(run: Run): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const due = [];
  for (const c of await waitingCandidates(ctx.db, horizons(cfg, ctx.calendar, now))) {
    const at = waitingRemindAt(cfg, ctx.calendar, c.priority, c.waitingSince);
    if (!mayFireNow(ctx.calendar, clockOf(cfg, c.priority), at, now)) {
      if (at <= now) run.summary.waiting++;
      continue;
    }
    due.push(c);
  }
  const taken = await claimedKeys(ctx.db, due.map((c) => waitingClaim(c).key));
  const todo = due.filter((c) => !taken.has(waitingClaim(c).key) && withinBudget(run));
  const rows = await loadTickets(ctx.db, todo.map((c) => c.id));
  for (const c of todo) {
    const t = rows.get(c.id);
    // Resumed or waiting again since it was found: the next tick looks again.
    if (!t?.waitingSince || t.waitingSince.getTime() !== c.waitingSince.getTime()) continue;
    if (await remindReporter(run, t as TicketRow & { waitingSince: Date })) run.summary.reminders++;
  }
}

/** The reporter is a platform user id, not a configured person: @mentioned in the ticket's own thread. */
async function remindReporter(run: Run, t: TicketRow & { waitingSince: Date }): Promise<boolean> {
  const { ctx, now } = run;
  const clock = clockOf(ctx.config, t.priority);
  const info: ReminderInfo = {
    kind: "waiting",
    clock,
    minutes: elapsedMinutes(ctx.calendar, clock, t.waitingSince, now),
    waiting: { on: t.waitingOn ?? "customer", reason: t.waitingReason ?? "", since: t.waitingSince },
  };
  const msgs = (await followUpMessages(ctx, t, { info, direct: [], mention: [], groups: "always", mentionUserIds: [t.reporterId] })).filter((m) => m.target === t.chatId);
  const event = systemEvent(t.id, now, "reminder", { stage: "waiting", waitingSince: t.waitingSince.toISOString(), to: [t.reporterId], text: followUpText(ctx, t, info) });
  return claimed(run, await claimAndEnqueue(ctx.db, waitingClaim(t), msgs, now, { after: [event] }));
}
