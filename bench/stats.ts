/**
 * Small statistics for benchmark output: nearest-rank percentiles and the
 * median, plus number formatting. Pure functions.
 */

/** The nearest-rank percentile `p` (0 < p ≤ 100) of `values`; with 50 values p99 is the slowest. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of no values");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
export const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
