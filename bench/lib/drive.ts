// A paced sender for the fault runs: every request's fate (HTTP status or network error) is kept,
// because those scenarios count what was acknowledged, not how fast.
import type { Shot } from "./events.js";
import { sleep } from "./stats.js";

export interface Sent {
  shot: Shot;
  sentAt: number;
  status?: number;
  ackAt?: number;
  error?: string;
  /** Response body, kept when `keepBody` is set. */
  body?: string;
}

export interface DriveOptions {
  /** Requests per second (evenly spaced); Infinity = as fast as `concurrency` allows. */
  rate: number;
  concurrency: number;
  timeoutMs?: number;
  keepBody?: boolean;
  /** Called as each answer (or failure) lands. */
  onResult?: (r: Sent) => void;
}

export const acked = (s: Sent) => s.status !== undefined && s.status >= 200 && s.status < 300;

export async function sendOne(base: string, shot: Shot, o: { timeoutMs?: number; keepBody?: boolean } = {}): Promise<Sent> {
  const out: Sent = { shot, sentAt: Date.now() };
  try {
    const r = await fetch(base + shot.path, { method: "POST", headers: shot.headers, body: shot.body, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
    const text = await r.text();
    out.status = r.status;
    out.ackAt = Date.now();
    if (o.keepBody) out.body = text;
  } catch (e) {
    out.error = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
  }
  return out;
}

export async function drive(base: () => string, shots: Shot[], o: DriveOptions): Promise<Sent[]> {
  const results: Sent[] = new Array(shots.length);
  const inflight = new Set<Promise<void>>();
  const t0 = Date.now();
  for (let i = 0; i < shots.length; i++) {
    if (Number.isFinite(o.rate)) {
      const due = t0 + (i * 1000) / o.rate;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
    }
    while (inflight.size >= o.concurrency) await Promise.race(inflight);
    const p: Promise<void> = sendOne(base(), shots[i]!, o).then((r) => {
      results[i] = r;
      inflight.delete(p);
      o.onResult?.(r);
    });
    inflight.add(p);
  }
  await Promise.all(inflight);
  return results;
}
