// Outbox delivery: lease due rows, call the platform, then record sent / retry-with-backoff / dead.
// A ticket card that goes out is remembered (CardRef) so every later change patches it in place.
import { PlatformError, type ChatPlatform } from "../platform/port.js";
import { enqueue, leaseDue, markDead, markRetry, markSent, type OutboundRow } from "../store/outbox.js";
import type { AppContext } from "./context.js";
import type { OutboundPayload, UpdateCardPayload } from "./notify.js";
import { currentTicketCard } from "./views.js";

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15 * 60_000;

/** Exponential backoff with full jitter; a platform's Retry-After wins when it is longer. */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = cap / 2 + random() * (cap / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  dead: number;
}

export async function deliverDue(ctx: AppContext, opts: { limit?: number; ids?: number[] } = {}): Promise<DeliveryReport> {
  const now = ctx.now();
  const rows = await leaseDue(ctx.db, now, opts.limit ?? 50, 60_000, opts.ids);
  const report: DeliveryReport = { sent: 0, retried: 0, dead: 0 };
  // Different chats go out in parallel; one chat's messages keep their order.
  const byTarget = new Map<string, OutboundRow[]>();
  for (const r of rows) byTarget.set(`${r.platform}:${r.target}`, [...(byTarget.get(`${r.platform}:${r.target}`) ?? []), r]);
  await Promise.all(
    [...byTarget.values()].map(async (list) => {
      for (const row of list) {
        const outcome = await deliverOne(ctx, row);
        report[outcome]++;
      }
    }),
  );
  return report;
}

async function deliverOne(ctx: AppContext, row: OutboundRow): Promise<keyof DeliveryReport> {
  const sender = ctx.senders[row.platform as ChatPlatform];
  const log = ctx.log.child({ outbox: row.id, platform: row.platform, kind: row.kind, attempt: row.attempts });
  if (!sender) {
    await markDead(ctx.db, row.id, `platform ${row.platform} is not configured`, ctx.now());
    log.error("outbox message dead: platform not configured");
    return "dead";
  }
  const payload = JSON.parse(row.payload) as OutboundPayload;
  try {
    let ref: string | null = null;
    switch (payload.op) {
      case "send_card": {
        const r = await sender.sendCard(payload.chatId, payload.card, payload.opts);
        ref = r.ref;
        if (payload.ticketCard && row.ticketId && r.updatable) await rememberCard(ctx, row.ticketId, row.platform, payload.chatId, r.ref, payload.ticketVersion);
        break;
      }
      case "update_card":
        await sender.updateCard(payload.ref, payload.card);
        break;
      case "send_text":
        ref = (await sender.sendText(payload.chatId, payload.text, payload.opts)).ref;
        break;
      case "urgent":
        if (sender.urgent) await sender.urgent(payload.ref, payload.userIds);
        break;
    }
    await markSent(ctx.db, row.id, ref, ctx.now());
    log.debug("outbox message sent", { ref });
    return "sent";
  } catch (e) {
    const retryable = e instanceof PlatformError ? e.retryable : true;
    const msg = e instanceof Error ? e.message : String(e);
    if (!retryable || row.attempts >= MAX_ATTEMPTS) {
      await markDead(ctx.db, row.id, msg, ctx.now());
      log.error("outbox message dead", { error: e, retryable });
      return "dead";
    }
    const delay = backoffMs(row.attempts, e instanceof PlatformError ? e.retryAfterMs : undefined);
    await markRetry(ctx.db, row.id, msg, new Date(ctx.now().getTime() + delay));
    log.warn("outbox message will be retried", { error: msg, inMs: Math.round(delay) });
    return "retried";
  }
}

async function rememberCard(ctx: AppContext, ticketId: number, platform: string, chatId: string, ref: string, sentVersion?: number): Promise<void> {
  await ctx.db.cardRef.upsert({ where: { platform_ref: { platform, ref } }, create: { ticketId, platform, chatId, ref }, update: {} });
  // The ticket may have changed while this card was on its way: bring the new copy up to date.
  const t = await ctx.db.ticket.findUnique({ where: { id: ticketId } });
  if (t && sentVersion !== undefined && t.version !== sentVersion) {
    const card = await currentTicketCard(ctx, t);
    const payload: UpdateCardPayload = { op: "update_card", ref, card, ticketVersion: t.version };
    const ids = await enqueue(ctx.db, [{ platform, kind: "update_card", target: ref, ticketId: t.id, payload }], ctx.now());
    deliverSoon(ctx, ids);
  }
}

/** Deliver just-enqueued messages right after the current request, without waiting for the poller. */
export function deliverSoon(ctx: AppContext, ids: number[]): void {
  ctx.defer(async () => {
    try {
      await deliverDue(ctx, { ids });
    } catch (e) {
      ctx.log.error("outbox delivery failed", { error: e });
    }
  });
}
