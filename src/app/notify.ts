// Outgoing messages for ticket changes, all through the outbox: the reply card on creation,
// in-place updates of every copy of the card, and @mentions to the people who must act.
import type { Card } from "../../cards/model.js";
import { fmt, messages } from "../../cards/i18n/index.js";
import { platformIdOf } from "../core/routing.js";
import type { Locale, Platform, Status } from "../core/types.js";
import type { ChatPlatform, SendOptions } from "../platform/port.js";
import { enqueue, replacePendingCardSends, type NewOutbound } from "../store/outbox.js";
import type { TicketRow } from "../store/tickets.js";
import type { AppContext } from "./context.js";
import type { SendCardPayload, SendTextPayload, UpdateCardPayload } from "./outbound-payload.js";
import { downloadJobs } from "./attachments/download.js";
import { deliverSoon } from "./deliver.js";
import { departmentLabel } from "./views.js";
import { currentTicketCard } from "./views.js";

export type { OutboundPayload, SendCardPayload, SendTextPayload, UpdateCardPayload, UrgentPayload } from "./outbound-payload.js";

const isChat = (p: string): p is ChatPlatform => p === "feishu" || p === "dingtalk";

export async function send(ctx: AppContext, msgs: NewOutbound[]): Promise<void> {
  const ids = await enqueue(ctx.db, msgs, ctx.now());
  if (ids.length) deliverSoon(ctx, ids);
}

export function cardMessage(platform: ChatPlatform, chatId: string, card: Card, extra: Partial<SendCardPayload> = {}, ticketId?: number, dedupeKey?: string): NewOutbound {
  const payload: SendCardPayload = { op: "send_card", chatId, card, ...extra };
  return { platform, kind: "send_card", target: chatId, ticketId: ticketId ?? null, payload, dedupeKey };
}

export function textMessage(platform: ChatPlatform, chatId: string, text: string, opts?: SendOptions, ticketId?: number, dedupeKey?: string): NewOutbound {
  const payload: SendTextPayload = { op: "send_text", chatId, text, opts };
  return { platform, kind: "send_text", target: chatId, ticketId: ticketId ?? null, payload, dedupeKey };
}

/** The reply to a new ticket: its card in the same chat, in the thread of the source message. */
export async function announceTicket(ctx: AppContext, t: TicketRow, opts: SendOptions = {}): Promise<void> {
  if (!isChat(t.platform) || !t.chatId) return;
  const card = await currentTicketCard(ctx, t);
  const why = t.handlerId ? undefined : await unassignedWhy(ctx, t);
  // The files come after the card: people see the ticket first. Announcing again (after a crash) finds the same rows.
  await send(ctx, [...announcement(ctx, t, card, why, opts), ...(await downloadJobs(ctx, t.id, t.platform))]);
}

/**
 * What a new ticket's announcement queues: the card, then the handler's @ — or, when nobody on duty or
 * under their limit could take it (`unassigned`), the notice to the department's leads.
 */
export function announcement(ctx: AppContext, t: TicketRow, card: Card, unassigned: string | undefined, opts: SendOptions = {}): NewOutbound[] {
  if (!isChat(t.platform) || !t.chatId) return [];
  const msgs: NewOutbound[] = [
    cardMessage(t.platform, t.chatId, card, { ticketCard: true, ticketVersion: t.version, opts: { replyTo: t.messageId ?? undefined, ...opts } }, t.id, `created:${t.id}`),
  ];
  const handler = t.handlerId ? platformIdOf(ctx.config, t.handlerId, t.platform) : undefined;
  const m = messages(t.locale as Locale);
  if (handler) {
    msgs.push(textMessage(t.platform, t.chatId, fmt(m.card.assigned, { number: t.number }), { mentions: [handler], ...opts }, t.id, `assigned:${t.id}:${t.handlerId}:${t.version}`));
  } else if (unassigned === "nobody_on_duty" || unassigned === "at_capacity") {
    // The ticket waits in the department's queue and its leads hear at once.
    const leads = (ctx.config.departments.find((d) => d.id === t.department)?.leads ?? []).map((id) => platformIdOf(ctx.config, id, t.platform as Platform)).filter((x): x is string => !!x);
    const text = fmt(unassigned === "nobody_on_duty" ? m.card.nobodyOnDuty : m.card.atCapacity, { number: t.number, department: departmentName(ctx, t) });
    msgs.push(textMessage(t.platform, t.chatId, text, { mentions: leads, ...opts }, t.id, `queued:${t.id}`));
  }
  return msgs;
}

/** Why nobody was assigned, as the "created" event recorded it. */
async function unassignedWhy(ctx: AppContext, t: TicketRow): Promise<string | undefined> {
  const created = await ctx.db.ticketEvent.findFirst({ where: { ticketId: t.id, kind: "created" }, select: { payload: true } });
  return (JSON.parse(created?.payload ?? "{}") as { unassigned?: string }).unassigned;
}

/** After any change: patch every copy of the card, and tell the people who must act next. */
export async function ticketChanged(ctx: AppContext, before: TicketRow, after: TicketRow, skipRef?: string): Promise<void> {
  const card = await currentTicketCard(ctx, after);
  await replacePendingCardSends(ctx.db, after.id, (old) => ({ ...(old as SendCardPayload), card, ticketVersion: after.version }));
  const refs = await ctx.db.cardRef.findMany({ where: { ticketId: after.id, retiredAt: null } });
  const msgs: NewOutbound[] = refs
    .filter((r) => r.ref !== skipRef && isChat(r.platform))
    .map((r) => ({ platform: r.platform, kind: "update_card" as const, target: r.ref, ticketId: after.id, payload: { op: "update_card", ref: r.ref, card, ticketVersion: after.version } satisfies UpdateCardPayload }));

  if (isChat(after.platform) && after.chatId) {
    const m = messages(after.locale as Locale);
    const status = after.status as Status;
    const replyTo = after.messageId ?? undefined;
    if (before.status !== after.status) {
      // The reporter hears about every status change; a resolved ticket asks them to confirm.
      const text = status === "resolved" ? fmt(m.card.askConfirm, { number: after.number }) : fmt(m.card.statusChanged, { number: after.number, status: m.status[status] });
      // Reporters of the tickets merged into this one hear too: each was a report of the same problem.
      const mentions = [after.reporterId, ...(await mergedReporters(ctx, after))];
      msgs.push(textMessage(after.platform, after.chatId, text, { mentions, replyTo }, after.id, `status:${after.id}:${after.version}`));
    }
    if (after.handlerId && after.handlerId !== before.handlerId && before.status === after.status) {
      const handler = platformIdOf(ctx.config, after.handlerId, after.platform) ?? (after.handlerId.startsWith(`${after.platform}:`) ? after.handlerId.slice(after.platform.length + 1) : undefined);
      if (handler) msgs.push(textMessage(after.platform, after.chatId, fmt(m.card.assigned, { number: after.number }), { mentions: [handler], replyTo }, after.id, `assigned:${after.id}:${after.handlerId}:${after.version}`));
    }
  }
  await send(ctx, msgs);
}

async function mergedReporters(ctx: AppContext, t: TicketRow): Promise<string[]> {
  if (t.reportCount <= 1) return [];
  const rows = await ctx.db.ticket.findMany({ where: { mergedIntoId: t.id, platform: t.platform, chatId: t.chatId }, select: { reporterId: true } });
  return [...new Set(rows.map((r) => r.reporterId))].filter((id) => id !== t.reporterId);
}

export const departmentName = (ctx: AppContext, t: TicketRow) => departmentLabel(ctx.config, t.department, t.locale as Locale);
