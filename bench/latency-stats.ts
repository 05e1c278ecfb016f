// Percentiles over latency samples, and the small timing helpers every bench shares.

/** The q-quantile (0..1) of `samples` by nearest rank. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** Milliseconds since `start` (from `now()`), with sub-microsecond resolution. */
export const now = (): number => performance.now();

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
