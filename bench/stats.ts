/** Summary of the measured runs of one scenario. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Records per second of `records` handled in `ms` milliseconds. */
export function rate(records: number, ms: number): number {
  return ms <= 0 ? Number.POSITIVE_INFINITY : (records * 1_000) / ms;
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of `values` by nearest rank: the smallest value that at least
 * p % of them do not exceed, as HdrHistogram reports it, but without its buckets.
 */
export function percentile(values: readonly number[], p: number): number {
  return percentiles(values, [p])[0];
}

/** Several percentiles of `values` (see `percentile`), sorting them once. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  if (values.length === 0) throw new Error('percentile() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => {
    if (!(p > 0 && p <= 100)) throw new Error(`percentile() needs 0 < p <= 100, got ${p}`);
    return sorted[Math.ceil((p / 100) * sorted.length) - 1];
  });
}
