// Waiting for reply cards at the fakes and turning send/arrival times into figures.
import type { Shot } from "./events.js";
import type { Deliveries } from "./platforms.js";
import { summarize, waitFor, type Summary } from "./stats.js";

export interface CardFigures {
  /** Acknowledged events whose reply card arrived. */
  delivered: number;
  missing: number;
  /** Send → first arrival of the reply card at the fake platform, ms. */
  latency: Summary;
  /** Delivered cards per second from the first send to the last card. */
  endToEndPerSec: number;
  /** Events whose card arrived more than once. */
  duplicates: number;
  waitedMs: number;
}

/** Wait until every acknowledged event's card has arrived (or the deadline), then measure. */
export async function awaitCards(get: () => Deliveries, acked: Shot[], sentAt: Map<string, number>, timeoutMs: number): Promise<CardFigures> {
  const t0 = Date.now();
  let d = get();
  await waitFor(() => {
    d = get();
    return acked.every((s) => d.first.has(s.cardKey));
  }, timeoutMs, 200);
  const latencies: number[] = [];
  let last = 0;
  let first = Infinity;
  let duplicates = 0;
  for (const s of acked) {
    const at = d.first.get(s.cardKey);
    const sent = sentAt.get(s.messageId);
    if (sent !== undefined) first = Math.min(first, sent);
    if (at === undefined || sent === undefined) continue;
    latencies.push(at - sent);
    last = Math.max(last, at);
    if ((d.count.get(s.cardKey) ?? 0) > 1) duplicates++;
  }
  return {
    delivered: latencies.length,
    missing: acked.length - latencies.length,
    latency: summarize(latencies),
    endToEndPerSec: latencies.length && last > first ? latencies.length / ((last - first) / 1000) : Number.NaN,
    duplicates,
    waitedMs: Date.now() - t0,
  };
}
