// Small statistics over samples (milliseconds, counts) and the formats the table prints them in.

/** Nearest-rank percentile of already sorted values; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : Number.NaN;
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN, mean };
}

export const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** "12.3 ms", "1.24 s"; "—" for a missing value. */
export function ms(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return "—";
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

export const int = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? "—" : Math.round(v).toLocaleString("en-US"));

export const mib = (kb: number | undefined) => (kb === undefined || !Number.isFinite(kb) ? "—" : `${Math.round(kb / 1024)} MiB`);

export const sleep = (msDelay: number) => new Promise<void>((r) => setTimeout(r, msDelay));

/** Poll `cond` until it holds or the deadline passes; returns whether it held. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() >= end) return false;
    await sleep(everyMs);
  }
}
