// bench/out/summary.json: the figures issue 15 sets targets for, as numbers, from one run. Each bench
// contributes the keys it measures (BenchResult.summary); a key no bench of the run measured is null
// and listed under `missing`. `lost` and `dup_tickets` add up over the fault benches.
export const SUMMARY_KEYS = [
  "tickets_per_s",
  "raw_limit_tickets_per_s",
  "ratio_to_raw",
  "ack_p99_ms_at_100",
  // The floor under ack_p99_ms_at_100 on this machine: a bare Hono route at the same 100 connections.
  "bare_hono_ack_p99_ms_at_100",
  "ack_req_per_s",
  "bare_hono_req_per_s",
  "ratio_to_bare",
  "rss_idle_mb",
  "rss_peak_mb",
  "tick_ms_day",
  "tick_ms_night",
  "monthly_digest_ms",
  "find_ms_3char",
  "find_ms_2char",
  "lost",
  "dup_tickets",
] as const;

export type SummaryKey = (typeof SUMMARY_KEYS)[number];
export type Summary = Record<SummaryKey, number | null>;

const SUMMED: SummaryKey[] = ["lost", "dup_tickets"];

export function mergeSummaries(parts: Partial<Summary>[]): Summary {
  const out = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, null])) as Summary;
  for (const part of parts) {
    for (const k of SUMMARY_KEYS) {
      const v = part[k];
      if (v === undefined || v === null || !Number.isFinite(v)) continue;
      out[k] = SUMMED.includes(k) ? (out[k] ?? 0) + v : v;
    }
  }
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b, 3) : null);
  out.ratio_to_raw ??= ratio(out.tickets_per_s, out.raw_limit_tickets_per_s);
  out.ratio_to_bare ??= ratio(out.ack_req_per_s, out.bare_hono_req_per_s);
  return out;
}

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
export const mbOfKb = (kb: number | undefined) => (kb === undefined || !Number.isFinite(kb) ? null : round(kb / 1024));
