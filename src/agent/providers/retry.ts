import { setTimeout as sleep } from "node:timers/promises";
import { ProviderError } from "./provider.ts";

/**
 * Retries of model calls, done here rather than by the SDKs (their retries are
 * turned off with `maxRetries: 0`): the two SDKs differ (Anthropic follows any
 * retry-after however long, OpenAI silently replaces a long one with its own
 * backoff) and neither caps the total time spent waiting. Here: 429, 5xx,
 * timeouts and dropped connections are retried with exponential backoff and
 * jitter, `retry-after-ms` / `retry-after` are honoured, and both the number
 * of attempts and the total wait are capped. The final error names the cause.
 */

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time spent sleeping between attempts, at most. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalWaitMs: 120_000 };

/** A failure classified by a provider: the error to throw and whether trying again may help. */
export interface Classified {
  error: ProviderError;
  retryable: boolean;
  /** Delay the server asked for, in ms. */
  retryAfterMs?: number | undefined;
}

/** Reads `retry-after-ms` (ms) or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Exponential backoff with "equal jitter": half fixed, half random. */
export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const withNote = (error: ProviderError, note: string) => new ProviderError(error.kind, `${error.message} (${note})`, error.status, { cause: error.cause });

export async function withRetry<T>(call: () => Promise<T>, classify: (error: unknown) => Classified, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const failure = classify(error);
      if (!failure.retryable) throw failure.error;
      if (attempt >= policy.maxAttempts) throw withNote(failure.error, `gave up after ${attempt} attempts`);
      const delay = failure.retryAfterMs ?? backoffMs(attempt, policy);
      if (waited + delay > policy.maxTotalWaitMs) {
        const asked = failure.retryAfterMs === undefined ? "" : `the server asked to wait ${Math.ceil(delay / 1000)}s; `;
        throw withNote(failure.error, `${asked}gave up after ${attempt} attempts to stay within ${Math.round(policy.maxTotalWaitMs / 1000)}s of waiting`);
      }
      await sleep(delay, undefined, signal ? { signal } : {});
      waited += delay;
    }
  }
}
