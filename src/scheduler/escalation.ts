// Breach and second level: the ticket is marked overdue and the card goes up a level — to the
// department's leads at breach, to its managers after the further window. Messages, flag, claim and
// timeline entry are stored in the crash-safe order of store/notices.ts.
import type { ReminderKind } from "../../cards/reminder.js";
import { send } from "../app/notify.js";
import { currentTicketCard } from "../app/views.js";
import { elapsedMinutes } from "../core/sla.js";
import type { DeadlineKind } from "../store/due.js";
import { claimAndEnqueue, type NoticeClaim } from "../store/notices.js";
import type { NewOutbound } from "../store/outbox.js";
import type { ExtraOp, TicketRow } from "../store/tickets.js";
import { leadsOf, managersOf, personLabel } from "./audience.js";
import { followUpBase, followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, type Run } from "./run.js";
import { clockOf, type Stage } from "./stages.js";

export async function escalate(run: Run, t: TicketRow, kind: DeadlineKind, stage: Stage, claim: NoticeClaim): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const clock = clockOf(cfg, t.priority);
  const due = kind === "response" ? t.responseDueAt : t.resolutionDueAt;
  const second = stage.name === "escalate";
  const up = second ? managersOf(cfg, t.department) : leadsOf(cfg, t.department);
  const base = await followUpBase(ctx, t);
  const info = {
    kind: `${kind}.${second ? "escalate" : "breach"}` as ReminderKind,
    clock,
    due,
    minutes: elapsedMinutes(ctx.calendar, clock, due, now),
    to: up.map((id) => personLabel(cfg, id, base.names)),
  };
  const handler = t.handlerId ? [t.handlerId] : [];
  // Breach: the handler and the leads. Second level: the managers (a server back from downtime that
  // skipped the breach still marks the ticket overdue here).
  const direct = second ? up : [...handler, ...up];
  const msgs = await followUpMessages(ctx, t, { info, direct, mention: [...handler, ...up], groups: "always" }, base);
  const flag = kind === "response" ? "responseOverdue" : "resolutionOverdue";
  // The flag is idempotent (set even by a claimer that loses); the timeline entry is the winner's.
  const setFlag: ExtraOp = (db) => db.ticket.updateMany({ where: { id: t.id, [flag]: false }, data: { [flag]: true } });
  const event = systemEvent(t.id, now, "escalated", { deadline: kind, level: stage.level, due: due.toISOString(), to: up, text: followUpText(ctx, t, info) });
  if (!claimed(run, await claimAndEnqueue(ctx.db, claim, msgs, now, { before: [setFlag], after: [event] }))) return;
  run.summary.escalations++;
  await refreshCards(run, t.id);
}

/** The ticket's cards in chats turn red (overdue) and show the escalation in their timeline. */
export async function refreshCards(run: Run, ticketId: number): Promise<void> {
  const { ctx } = run;
  const t = await ctx.db.ticket.findUnique({ where: { id: ticketId } });
  if (!t) return;
  const refs = await ctx.db.cardRef.findMany({ where: { ticketId, retiredAt: null } });
  if (!refs.length) return;
  const card = await currentTicketCard(ctx, t);
  const msgs: NewOutbound[] = refs.map((r) => ({
    platform: r.platform,
    kind: "update_card",
    target: r.ref,
    ticketId,
    payload: { op: "update_card", ref: r.ref, card, ticketVersion: t.version },
  }));
  await send(ctx, msgs);
}
