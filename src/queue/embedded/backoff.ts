/**
 * How long a failed job waits before its next attempt: exponential in the
 * attempt number, capped, with "equal jitter" (half fixed, half random) so
 * jobs that failed together do not all retry in the same instant.
 */

/** Delay after attempt `attempt` (1-based) failed. `random` returns [0, 1). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  if (baseMs <= 0) return 0;
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const capped = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(capped / 2 + random() * (capped / 2));
}
