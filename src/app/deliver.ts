// Outbox delivery: lease due rows, call the platform, then record sent / retry-with-backoff / dead.
// A ticket card that goes out is remembered (CardRef) so every later change patches it in place.
// Each chat gets at most the platform's rate (config.delivery); a message over it waits its turn
// without using up an attempt. A card marked urgent rings its users once it is out.
import { CardNotUpdatableError, PlatformError, type ChatPlatform, type ChatSender, type SendOptions } from "../platform/port.js";
import { liveChatSession } from "../store/chat-sessions.js";
import { enqueue, leaseDue, rememberCardRef, markDead, markDeferred, markRetry, markSent, rateWait, type LeasedOutbound } from "../store/outbox.js";
import type { AppContext } from "./context.js";
import type { OutboundPayload, SendTextPayload, UpdateCardPayload, UrgentPayload } from "./outbound-payload.js";
import { attachmentGaveUp, downloadAttachment } from "./attachments/download.js";
import { currentTicketCard } from "./views.js";

/** About 25–45 minutes of retries (capped backoff), enough to ride out a platform incident. */
export const MAX_ATTEMPTS = 12;
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
  /** Held back by the per-chat rate limit; not an attempt. */
  deferred: number;
}

export async function deliverDue(ctx: AppContext, opts: { limit?: number; ids?: number[] } = {}): Promise<DeliveryReport> {
  const now = ctx.now();
  const rows = await leaseDue(ctx.db, now, opts.limit ?? 50, 60_000, opts.ids);
  const report: DeliveryReport = { sent: 0, retried: 0, dead: 0, deferred: 0 };
  // Different chats go out in parallel; one chat's messages keep their order. Downloads share one lane per
  // platform: one file (≤ 10 MB, held in memory) at a time, not 50 at once (a Worker has 128 MB).
  const byTarget = new Map<string, LeasedOutbound[]>();
  const lane = (r: LeasedOutbound) => (r.kind === "download" ? `download:${r.platform}` : `${r.platform}:${r.target}`);
  for (const r of rows) byTarget.set(lane(r), [...(byTarget.get(lane(r)) ?? []), r]);
  await Promise.all(
    [...byTarget.values()].map(async (list) => {
      for (const [i, row] of list.entries()) {
        const wait = await rateWait(ctx.db, row, ctx.now(), ctx.config.delivery[row.platform as ChatPlatform]);
        if (wait > 0) {
          // This chat is at its rate: it and the rest of the chat's queue, in order, wait for the window.
          const at = new Date(ctx.now().getTime() + wait);
          for (const r of list.slice(i)) await markDeferred(ctx.db, r.id, at);
          report.deferred += list.length - i;
          ctx.wakeAt?.(at);
          ctx.log.debug("outbox chat at its rate limit", { platform: row.platform, target: row.target, waitMs: wait, queued: list.length - i });
          return;
        }
        const outcome = await deliverOne(ctx, row);
        report[outcome]++;
      }
    }),
  );
  return report;
}

/** A crash after the platform accepted a message but before it was marked sent repeats it; the same key each time lets the platform drop the repeat. */
const idempotencyKey = (row: LeasedOutbound) => `chatdesk-outbox-${row.id}`;

async function deliverOne(ctx: AppContext, row: LeasedOutbound): Promise<"sent" | "retried" | "dead"> {
  const sender = ctx.senders[row.platform as ChatPlatform];
  const log = ctx.log.child({ outbox: row.id, platform: row.platform, kind: row.kind, attempt: row.attempts });
  const payload = JSON.parse(row.payload) as OutboundPayload;
  if (!sender) {
    await markDead(ctx.db, row.id, `platform ${row.platform} is not configured`, ctx.now());
    logDead(ctx, row, `platform ${row.platform} is not configured`, false);
    if (payload.op === "download") await attachmentGaveUp(ctx, payload, `platform ${row.platform} is not configured`);
    return "dead";
  }
  try {
    let ref: string | null = null;
    switch (payload.op) {
      case "send_card": {
        const opts = await withLiveSession(ctx, row.platform, payload.chatId, payload.opts, !!(payload.card.mentions?.length || payload.opts?.mentions?.length));
        const r = await sender.sendCard(payload.chatId, payload.card, { ...opts, idempotencyKey: idempotencyKey(row) });
        ref = r.ref;
        // Remembered even when the platform cannot edit it (DingTalk robot markdown): updateCard then posts
        // the new state into the same chat, so every change still reaches the group.
        const ticketId = row.ticketId;
        if (payload.ticketCard && ticketId) await afterSend(log, "card reference", () => rememberCard(ctx, ticketId, row.platform, payload.chatId, r.ref, payload.ticketVersion));
        if (payload.urgent?.length && sender.urgent) await afterSend(log, "urgent ring", () => ringUrgent(ctx, row, r.ref, payload.urgent!));
        break;
      }
      case "update_card":
        ref = await updateOrReplace(ctx, sender, row, payload);
        break;
      case "send_text": {
        const r = await sender.sendText(payload.chatId, payload.text, { ...(await withLiveSession(ctx, row.platform, payload.chatId, payload.opts, !!payload.opts?.mentions?.length)), idempotencyKey: idempotencyKey(row) });
        ref = r.ref;
        if (r.unmentioned?.length) await afterSend(log, "direct copies", () => tellDirectly(ctx, row, payload.text, r.unmentioned!));
        break;
      }
      case "urgent":
        if (sender.urgent) await sender.urgent(payload.ref, payload.userIds);
        break;
      case "download":
        await downloadAttachment(ctx, sender, payload);
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
      logDead(ctx, row, msg, retryable);
      if (payload.op === "download") await attachmentGaveUp(ctx, payload, msg);
      return "dead";
    }
    const delay = backoffMs(row.attempts, e instanceof PlatformError ? e.retryAfterMs : undefined);
    await markRetry(ctx.db, row.id, msg, new Date(ctx.now().getTime() + delay));
    log.warn("outbox message will be retried", { error: msg, inMs: Math.round(delay) });
    return "retried";
  }
}

/**
 * What follows a message the platform accepted: a failure here must not send it again (the outbox would
 * retry the whole row and the group would see the card twice), so the step is tried three times, then logged.
 */
async function afterSend(log: AppContext["log"], step: string, fn: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fn();
      return;
    } catch (e) {
      if (attempt >= 3) return log.error("message sent, but what follows it failed", { step, error: e });
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** The dead-letter line: everything needed to find the message and resend it by hand. */
function logDead(ctx: AppContext, row: LeasedOutbound, error: string, retryable: boolean): void {
  ctx.log.error("outbox message dead-lettered", {
    outbox: row.id,
    platform: row.platform,
    kind: row.kind,
    target: row.target,
    ticketId: row.ticketId,
    dedupeKey: row.dedupeKey,
    attempts: row.attempts,
    retryable,
    error,
  });
}

/**
 * Update a card in place, or — when it is past the platform's update window (Feishu: 14 days) — post a
 * fresh ticket card as a reply to it, in its thread, and make that the copy later changes update. Returns
 * the new copy's ref when one was posted.
 */
async function updateOrReplace(ctx: AppContext, sender: ChatSender, row: LeasedOutbound, payload: UpdateCardPayload): Promise<string | null> {
  const copy = await ctx.db.cardRef.findUnique({ where: { platform_ref: { platform: row.platform, ref: payload.ref } } });
  if (copy?.retiredAt) return null; // replaced already; the fresh copy gets its own updates
  const expired = copy && sender.cardUpdateWindowMs !== undefined && ctx.now().getTime() - copy.createdAt.getTime() >= sender.cardUpdateWindowMs;
  if (!expired) {
    try {
      await sender.updateCard(payload.ref, payload.card);
      return null;
    } catch (e) {
      if (!(e instanceof CardNotUpdatableError) || !copy) throw e;
    }
  }
  const chatId = copy!.chatId ?? (await ctx.db.ticket.findUnique({ where: { id: copy!.ticketId }, select: { chatId: true } }))?.chatId;
  if (!chatId) throw new PlatformError(`card ${payload.ref} is past its update window and its chat is unknown`, false);
  const fresh = await sender.sendCard(chatId, payload.card, { replyTo: payload.ref, idempotencyKey: idempotencyKey(row) });
  await ctx.db.cardRef.update({ where: { id: copy!.id }, data: { retiredAt: ctx.now() } });
  await rememberCard(ctx, copy!.ticketId, row.platform, chatId, fresh.ref, payload.ticketVersion);
  ctx.log.info("card past its update window: posted a fresh copy", { ticketId: copy!.ticketId, old: payload.ref, ref: fresh.ref });
  return fresh.ref;
}

/** Stop using a reply webhook this long before its stated expiry (the sender applies the same margin). */
const SESSION_MARGIN_MS = 60_000;

/**
 * A message that @s people goes through the conversation's newest reply webhook (DingTalk's sessionWebhook,
 * stored when a message arrives), when it outlives the one the message was queued with.
 */
async function withLiveSession(ctx: AppContext, platform: string, chatId: string, opts: SendOptions | undefined, mentions: boolean): Promise<SendOptions | undefined> {
  if (!mentions) return opts;
  const live = await liveChatSession(ctx.db, platform, chatId, ctx.now(), SESSION_MARGIN_MS);
  if (!live || (opts?.sessionWebhookExpiresAt ?? 0) >= live.expiresAt.getTime()) return opts;
  return { ...opts, sessionWebhook: live.webhook, sessionWebhookExpiresAt: live.expiresAt.getTime() };
}

/**
 * The platform could not @ these people in the group (DingTalk without a live session webhook): each gets
 * the notice in a 1:1 message from the bot, its own outbox row, so a failure there retries only that.
 */
async function tellDirectly(ctx: AppContext, row: LeasedOutbound, text: string, userIds: string[]): Promise<void> {
  const key = row.dedupeKey ?? `outbox:${row.id}`;
  const msgs = userIds
    .filter((id) => row.target !== `user:${id}`)
    .map((id) => ({ platform: row.platform, kind: "send_text" as const, target: `user:${id}`, ticketId: row.ticketId, payload: { op: "send_text", chatId: `user:${id}`, text } satisfies SendTextPayload, dedupeKey: `${key}:direct:${id}` }));
  if (!msgs.length) return;
  deliverSoon(ctx, await enqueue(ctx.db, msgs, ctx.now()));
}

/** The urgent ring needs the sent message's id, so it is its own outbox row, queued once the card is out. */
async function ringUrgent(ctx: AppContext, row: LeasedOutbound, ref: string, userIds: string[]): Promise<void> {
  const payload: UrgentPayload = { op: "urgent", ref, userIds };
  const ids = await enqueue(ctx.db, [{ platform: row.platform, kind: "urgent", target: ref, ticketId: row.ticketId, payload, dedupeKey: `${row.dedupeKey ?? `outbox:${row.id}`}:urgent` }], ctx.now());
  deliverSoon(ctx, ids);
}

async function rememberCard(ctx: AppContext, ticketId: number, platform: string, chatId: string, ref: string, sentVersion?: number): Promise<void> {
  await rememberCardRef(ctx.db, { ticketId, platform, chatId, ref }, ctx.now());
  // The ticket may have changed while this card was on its way: bring the new copy up to date.
  if (sentVersion === undefined) return;
  const current = await ctx.db.ticket.findUnique({ where: { id: ticketId }, select: { version: true } });
  if (!current || current.version === sentVersion) return;
  const t = await ctx.db.ticket.findUnique({ where: { id: ticketId } });
  if (t) {
    const card = await currentTicketCard(ctx, t);
    const payload: UpdateCardPayload = { op: "update_card", ref, card, ticketVersion: t.version };
    const ids = await enqueue(ctx.db, [{ platform, kind: "update_card", target: ref, ticketId: t.id, payload }], ctx.now());
    deliverSoon(ctx, ids);
  }
}

/** Deliver just-enqueued messages right after the current request, without waiting for the poller. */
export function deliverSoon(ctx: AppContext, ids: number[]): void {
  if (ctx.offload) return ctx.offload.outbox(ids);
  ctx.defer(async () => {
    try {
      await deliverDue(ctx, { ids });
    } catch (e) {
      ctx.log.error("outbox delivery failed", { error: e });
    }
  });
}
