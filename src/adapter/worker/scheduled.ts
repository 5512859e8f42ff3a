// One cron invocation: what the Node server does on its timers. Events stored but never processed
// (an isolate evicted mid-waitUntil) are retried, the scheduler claims and enqueues what is due
// (reminders, escalations, digests), then the outbox is drained.
import type { AppContext } from "../../app/context.js";
import { deliverDue } from "../../app/deliver.js";
import { processPendingInbound } from "../../app/inbound.js";
import { tick } from "../../scheduler/tick.js";

export async function runScheduled(ctx: AppContext, now: Date): Promise<void> {
  const inbound = await processPendingInbound(ctx);
  const scheduler = await tick(ctx, now);
  const delivered = await deliverDue(ctx);
  ctx.log.info("scheduled run", { at: now.toISOString(), inbound, scheduler, ...delivered });
}
