// One cron invocation: what the Node server does on its timers. Events stored but never processed
// (an isolate evicted mid-waitUntil) are retried, the outbox is drained, then the scheduler runs.
import type { AppContext } from "../../app/context.js";
import { deliverDue } from "../../app/deliver.js";
import { processPendingInbound } from "../../app/inbound.js";

export async function runScheduled(ctx: AppContext, now: Date): Promise<void> {
  const inbound = await processPendingInbound(ctx);
  // TODO(lead): call tick(ctx, now) from src/scheduler/tick.ts here once it lands.
  const delivered = await deliverDue(ctx);
  ctx.log.info("scheduled run", { at: now.toISOString(), inbound, ...delivered });
}
