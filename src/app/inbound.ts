// The one event path: receivers (webhooks, long connections) hand events to this sink.
// Messages are stored first (dedupe + crash safety), acknowledged, then processed; a pending row
// that a crash left behind is processed by the recovery sweep.
import type { InboundCardAction, InboundMessage } from "../platform/inbound.js";
import type { EventSink } from "../platform/sink.js";
import { duePendingInbound, failInbound, finishInbound, inboundExists, leaseInbound, storeInbound } from "../store/inbound.js";
import { handleCardAction } from "./card-actions.js";
import type { AppContext } from "./context.js";
import { handleMessage } from "./messages.js";
import type { InboundMark } from "./tickets/submit.js";

const MAX_ATTEMPTS = 5;

export const inboundId = (ev: Pick<InboundMessage, "platform" | "dedupeId">) => `${ev.platform}:msg:${ev.dedupeId}`;

/** Whether this message was stored already: a redelivery, which `accept` turns into a no-op. */
export const isStoredMessage = (ctx: AppContext) => (ev: InboundMessage): Promise<boolean> => inboundExists(ctx.db, inboundId(ev));

export function createEventSink(ctx: AppContext): EventSink {
  return {
    async accept(ev) {
      const row = { id: inboundId(ev), platform: ev.platform, kind: "message", payload: ev, at: ctx.now() };
      const fresh = await (ctx.inbox ? ctx.inbox.store(row) : storeInbound(ctx.db, row));
      if (fresh && ctx.offload) ctx.offload.inbound(row.id);
      else if (fresh) ctx.defer(() => processInbound(ctx, row.id));
      else ctx.log.info("duplicate delivery ignored", { platform: ev.platform, id: ev.dedupeId });
      return { duplicate: !fresh };
    },
    async cardAction(ev: InboundCardAction) {
      await ctx.calendarData.sync(ctx.db);
      return handleCardAction(ctx, ev);
    },
  };
}

/** Process one stored event, once, even with several workers racing (lease). */
export async function processInbound(ctx: AppContext, id: string): Promise<void> {
  const now = ctx.now();
  const row = await leaseInbound(ctx.db, id, now);
  if (!row) return;
  try {
    await ctx.calendarData.sync(ctx.db);
    // A message that becomes a ticket is marked done in the ticket's own transaction (tickets/submit.ts).
    const mark: InboundMark = { id };
    await handleMessage(ctx, JSON.parse(row.payload) as InboundMessage, mark);
    if (!mark.done) await finishInbound(ctx.db, id, ctx.now());
  } catch (e) {
    ctx.log.error("inbound event failed", { id, attempt: row.attempts, error: e });
    await failInbound(ctx.db, id, e instanceof Error ? e.message : String(e), row.attempts, MAX_ATTEMPTS, ctx.now(), 30_000 * row.attempts);
  }
}

/** Recovery sweep: events stored but never finished (crash after ack, or a failure to retry). */
export async function processPendingInbound(ctx: AppContext, limit = 50): Promise<number> {
  const ids = await duePendingInbound(ctx.db, ctx.now(), limit);
  for (const id of ids) await processInbound(ctx, id);
  return ids.length;
}
