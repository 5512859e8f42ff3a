// Percentiles from a histogram of fixed buckets (the digest rollups' minutes, 3 significant digits).

/** Nearest-rank 90th percentile (the smallest value whose rank is ≥ 0.9·n): the lower edge of its bucket. */
export function p90OfBuckets(buckets: Iterable<[lo: number, n: number]>): number | null {
  const sorted = [...buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (!total) return null;
  let seen = 0;
  for (const [lo, n] of sorted) {
    seen += n;
    if (seen >= 0.9 * total) return lo;
  }
  return sorted.at(-1)![0];
}

/** Add the counts of `b` into `a` (bucket → count). */
export function mergeBuckets(a: Map<number, number>, b: Iterable<[number, number]>): Map<number, number> {
  for (const [lo, n] of b) a.set(lo, (a.get(lo) ?? 0) + n);
  return a;
}
