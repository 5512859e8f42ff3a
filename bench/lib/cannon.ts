// autocannon over a prepared list of requests: each connection takes the next unsent one, so every
// event is unique; send and answer times are kept per request for the delivery figures.
import autocannon from "autocannon";
import type { Shot } from "./events.js";

export interface CannonResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  rps: number;
  p50: number;
  p99: number;
  /** Send time per request that was answered 2xx, by Shot.messageId. */
  sentAt: Map<string, number>;
}

export interface CannonOptions {
  url: string;
  shots: Shot[];
  connections: number;
  onResponse?: (shot: Shot, status: number, body: string) => void;
}

export async function cannon(o: CannonOptions): Promise<CannonResult> {
  let next = 0;
  const started = new Map<string, number>();
  const sentAt = new Map<string, number>();
  // Timed here: autocannon's `duration` counts whole seconds, so a 1.4 s run read as 1 s or 2 s and
  // req/s jumped by ×2 between runs of the same server.
  let first = Infinity;
  let last = 0;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    amount: o.shots.length,
    timeout: 30,
    requests: [
      {
        method: "POST",
        setupRequest(req, ctx) {
          // autocannon may build one request more per connection than it sends: reuse the last.
          const shot = o.shots[Math.min(next++, o.shots.length - 1)]!;
          ctx.shot = shot;
          const t = Date.now();
          started.set(shot.messageId, t);
          first = Math.min(first, t);
          return { ...req, method: "POST", path: shot.path, headers: shot.headers, body: shot.body };
        },
        onResponse(status, body, ctx) {
          const shot = ctx.shot as Shot;
          last = Date.now();
          if (status >= 200 && status < 300) sentAt.set(shot.messageId, started.get(shot.messageId)!);
          o.onResponse?.(shot, status, body);
        },
      },
    ],
  });
  const ok = result["2xx"];
  const durationS = last > first ? (last - first) / 1000 : result.duration;
  return {
    requests: ok + result.non2xx,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS,
    rps: (ok + result.non2xx) / durationS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sentAt,
  };
}
