/**
 * Paces and retries the app's requests to GitHub, per installation.
 *
 * GitHub's secondary rate limits punish bursts of writes. Every non-GET
 * request of one installation goes through a serial lane that leaves at least
 * `intervalMs` between two writes (default one second). Any request answered
 * with a rate limit (403/429 with `retry-after`, or `x-ratelimit-remaining: 0`)
 * waits as told and is retried; a 5xx or a dropped connection is retried with
 * exponential backoff (Octokit reports a dropped connection as a 500). Both
 * up to `maxRetries`. This replaces Probot's
 * throttling plugin, whose default only logs a secondary rate limit, and whose
 * write lane is shared by all installations of the process.
 */
import { errorMessage } from "../domain/error-message.ts";
import { httpStatus } from "./http-status.ts";

export interface PacerOptions {
  intervalMs: number;
  maxRetries: number;
  /** First backoff after a 5xx; doubles each time. */
  backoffMs?: number;
  /** Longest wait honoured for a rate limit before giving up. */
  maxWaitMs?: number;
  onRetry?: (info: { installationId: number; method: string; url: string; status: number | undefined; waitMs: number }) => void;
  sleep?: (ms: number) => Promise<void>;
}

type Options = { method?: string; url?: string };
/** Octokit's request function, with the options of its `hook.wrap("request", ...)` (only `method` and `url` are read). */
type RequestFn<O extends Options, R> = (options: O) => R | Promise<R>;

interface Lane {
  tail: Promise<unknown>;
  lastWriteAt: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GitHubPacer {
  readonly #lanes = new Map<number, Lane>();
  readonly #options: Required<Omit<PacerOptions, "onRetry">> & Pick<PacerOptions, "onRetry">;

  constructor(options: PacerOptions) {
    this.#options = { backoffMs: 1000, maxWaitMs: 15 * 60_000, sleep: defaultSleep, ...options };
  }

  /** An Octokit `hook.wrap("request", ...)` function bound to one installation. */
  hook(installationId: number) {
    return <O extends Options, R>(request: RequestFn<O, R>, options: O): Promise<R> => {
      const method = (options.method ?? "GET").toUpperCase();
      const attempt = () => this.#withRetries(installationId, request, options);
      // Reads skip the lane; so do the app's own token requests (`/app/installations/{id}/access_tokens`),
      // which Octokit makes from inside a paced write: queueing them behind that write would deadlock.
      if (method === "GET" || method === "HEAD" || (options.url ?? "").startsWith("/app/")) return attempt();
      return this.#inLane(installationId, attempt);
    };
  }

  #inLane<R>(installationId: number, work: () => Promise<R>): Promise<R> {
    const lane = this.#lanes.get(installationId) ?? { tail: Promise.resolve(), lastWriteAt: 0 };
    this.#lanes.set(installationId, lane);
    const run = async () => {
      const wait = lane.lastWriteAt + this.#options.intervalMs - Date.now();
      if (wait > 0) await this.#options.sleep(wait);
      try {
        return await work();
      } finally {
        lane.lastWriteAt = Date.now();
      }
    };
    const result = lane.tail.then(run, run);
    const tail = result.catch(() => undefined);
    lane.tail = tail;
    void tail.then(() => {
      if (lane.tail === tail) this.#lanes.delete(installationId);
    });
    return result;
  }

  async #withRetries<O extends Options, R>(installationId: number, request: RequestFn<O, R>, options: O): Promise<R> {
    for (let retry = 0; ; retry++) {
      try {
        return await request(options);
      } catch (error) {
        const waitMs = this.#retryDelay(error, retry);
        if (waitMs === null || retry >= this.#options.maxRetries) throw error;
        this.#options.onRetry?.({
          installationId,
          method: options.method ?? "GET",
          url: options.url ?? "",
          status: httpStatus(error),
          waitMs,
        });
        await this.#options.sleep(waitMs);
      }
    }
  }

  /** How long to wait before retrying, or null when the error is final. */
  #retryDelay(error: unknown, retry: number): number | null {
    const status = httpStatus(error);
    const headers = headersOf(error);
    const retryAfter = Number(headers["retry-after"]);
    if ((status === 403 || status === 429) && Number.isFinite(retryAfter) && headers["retry-after"] !== undefined) {
      return this.#capped(retryAfter * 1000);
    }
    if ((status === 403 || status === 429) && headers["x-ratelimit-remaining"] === "0") {
      const reset = Number(headers["x-ratelimit-reset"]) * 1000;
      return Number.isFinite(reset) ? this.#capped(Math.max(reset - Date.now(), 1000)) : null;
    }
    if (status === 403 && /secondary rate limit/i.test(errorMessage(error))) return this.#capped(60_000);
    if (status !== undefined && status >= 500) return this.#options.backoffMs * 2 ** retry;
    return null;
  }

  #capped(ms: number): number | null {
    return ms <= this.#options.maxWaitMs ? ms : null;
  }
}

function headersOf(error: unknown): Record<string, string | undefined> {
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers;
  return headers ?? {};
}
