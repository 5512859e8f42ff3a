// Satisfaction follow-up: a resolved ticket asks its reporter (in the ticket's thread, the card
// with the confirm-and-rate form) one day before it closes itself, and closes automatically after
// reminders.autoCloseAfterDays without confirmation — a state-machine transition by the system actor,
// recorded on the timeline, with the reporter told.
import { fmt, messages } from "../../cards/i18n/index.js";
import { textMessage, ticketChanged } from "../app/notify.js";
import { ChatDeskError } from "../core/errors.js";
import { decide } from "../core/state-machine.js";
import { SYSTEM_ACTOR, type Locale, type Status } from "../core/types.js";
import { loadTickets, PAGE_SIZE, scan, unconfirmedCandidates, type Candidate } from "../store/due.js";
import { claimAndEnqueue, claimedKeys, noticeOp, outboxOp, type NoticeClaim } from "../store/notices.js";
import { applyChange, type ExtraOp, type TicketRow } from "../store/tickets.js";
import { followUpMessages, followUpText, systemEvent } from "./follow-up.js";
import { claimed, withinBudget, type Run } from "./run.js";
import { clockOf, confirmStages, mayFireNow, unconfirmedHorizons } from "./stages.js";

const resolvedOf = (t: Candidate) => t.resolvedAt ?? t.updatedAt;

export const confirmClaim = (t: Candidate, kind: "confirm" | "autoclose"): NoticeClaim => ({
  key: `ticket:${t.id}:${kind}:1:${resolvedOf(t).getTime()}`,
  ticketId: t.id,
  kind,
  level: 1,
  at: resolvedOf(t),
});

export async function runAutoClose(run: Run): Promise<void> {
  const { ctx, now } = run;
  const cfg = ctx.config;
  const due: { t: Candidate; kind: "confirm" | "autoclose"; closeAt: Date }[] = [];
  for await (const t of scan((after) => unconfirmedCandidates(ctx.db, unconfirmedHorizons(cfg, ctx.calendar, now), after, PAGE_SIZE, now), resolvedOf)) {
    const clock = clockOf(cfg, t.priority);
    const { remindAt, closeAt } = confirmStages(cfg, ctx.calendar, clock, resolvedOf(t));
    const at = closeAt <= now ? closeAt : remindAt && remindAt <= now ? remindAt : undefined;
    if (!at) continue;
    if (!mayFireNow(ctx.calendar, clock, at, now)) {
      run.summary.waiting++;
      continue;
    }
    due.push({ t, kind: at === closeAt ? "autoclose" : "confirm", closeAt });
  }
  const taken = await claimedKeys(ctx.db, due.map((x) => confirmClaim(x.t, x.kind).key));
  const todo = due.filter((x) => !taken.has(confirmClaim(x.t, x.kind).key) && withinBudget(run));
  const rows = await loadTickets(ctx.db, todo.map((x) => x.t.id));
  for (const x of todo) {
    const t = rows.get(x.t.id);
    // Confirmed, reopened or resolved again since it was found: the next tick looks again.
    if (!t || t.status !== "resolved" || resolvedOf(t).getTime() !== resolvedOf(x.t).getTime()) continue;
    if (x.kind === "autoclose") await autoClose(run, t);
    else await askToConfirm(run, t, x.closeAt);
  }
}

async function askToConfirm(run: Run, t: TicketRow, closeAt: Date): Promise<void> {
  const { ctx, now } = run;
  const info = { kind: "confirm" as const, clock: clockOf(ctx.config, t.priority), due: closeAt };
  // The reporter is a platform user id, not a configured person: @mentioned in the ticket's own thread.
  const msgs = (await followUpMessages(ctx, t, { info, direct: [], mention: [], groups: "always", mentionUserIds: [t.reporterId] })).filter(
    (m) => m.target === t.chatId,
  );
  const event = systemEvent(t.id, now, "reminder", { stage: "confirm", closeAt: closeAt.toISOString(), to: [t.reporterId], text: followUpText(ctx, t, info) });
  if (claimed(run, await claimAndEnqueue(ctx.db, confirmClaim(t, "confirm"), msgs, now, { after: [event] }))) run.summary.confirmReminders++;
}

async function autoClose(run: Run, t: TicketRow): Promise<void> {
  const { ctx, now } = run;
  const days = ctx.config.reminders.autoCloseAfterDays;
  const from = t.status as Status;
  const to = decide(from, "close", new Set(["system"]));
  const claim = confirmClaim(t, "autoclose");
  const m = messages(t.locale as Locale);
  const version = t.version + 1;
  const ops: ExtraOp[] = [];
  // The reporter hears it in the ticket's thread; the key is the one ticketChanged uses for a status
  // change, so that message is this one and goes out once. It joins the close's batch ahead of the
  // claim: on D1, where the batch is not atomic, a crash after the close still leaves it queued.
  const statusKey = `status:${t.id}:${version}`;
  const chat = t.chatId && (t.platform === "feishu" || t.platform === "dingtalk") ? t.platform : undefined;
  if (chat && t.chatId) {
    const msg = textMessage(chat, t.chatId, fmt(m.reminder.autoClosed, { number: t.number, days }), { mentions: [t.reporterId], replyTo: t.messageId ?? undefined }, t.id, statusKey);
    ops.push(outboxOp(msg, now, claim.key));
  }
  ops.push(noticeOp(claim));
  let after: TicketRow;
  try {
    after = await applyChange(
      ctx.db,
      t,
      { status: to, closedAt: now },
      { kind: "closed", actor: SYSTEM_ACTOR, source: "system", at: now, payload: { from, to, auto: true, afterDays: days, reason: fmt(m.reminder.autoCloseReason, { days }) } },
      ops,
    );
  } catch (e) {
    // Confirmed, reopened or closed by another tick in the meantime: nothing to do.
    if (e instanceof ChatDeskError && e.code === "CONFLICT") {
      run.summary.alreadyClaimed++;
      return;
    }
    throw e;
  }
  run.summary.autoClosed++;
  const row = await ctx.db.outboundMessage.findUnique({ where: { dedupeKey: statusKey }, select: { id: true } });
  if (row) {
    run.enqueued.push(row.id);
    run.summary.enqueued++;
  }
  await ticketChanged(ctx, t, after);
}
