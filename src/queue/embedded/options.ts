/**
 * Settings of the embedded queue, their defaults, and their validation (a bad
 * value fails at open with a message naming it). The logger is pino-shaped so
 * Probot's logger can be passed as is; only the queue's own trouble is logged
 * (database errors, lost leases, an onFailed that threw), never job data.
 */
import { hostname } from "node:os";
import type { Logger } from "../../domain/logger.ts";
import { consoleLogger } from "../../log.ts";

export interface EmbeddedQueueOptions {
  /** How long a worker owns a job without renewing (renewed every leaseMs/3). Default 60 s. */
  leaseMs?: number;
  /** How often to look for jobs enqueued by other processes and for due retries. Default 500 ms. */
  pollMs?: number;
  /** Attempts for a job whose spec gives none. Default 3. */
  defaultAttempts?: number;
  /** First retry delay; doubles per attempt, with jitter. Default 1 s. */
  backoffMs?: number;
  /** Longest retry delay. Default 5 min. */
  maxBackoffMs?: number;
  /** Finished jobs are kept this long for id de-duplication, then pruned. Default 7 days. */
  retentionMs?: number;
  /** A label for this worker in lease rows (a random suffix keeps instances apart). Default host:pid. */
  workerId?: string;
  /** Grace period of stop() when none is given. Default 10 s. */
  defaultGraceMs?: number;
  logger?: Logger;
}

export type ResolvedQueueOptions = Required<EmbeddedQueueOptions>;

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`Queue option ${name} must be an integer ≥ ${min}, got ${String(value)}.`);
  return v;
}

export function resolveQueueOptions(options: EmbeddedQueueOptions): ResolvedQueueOptions {
  const backoffMs = integer("backoffMs", options.backoffMs, 1_000, 0);
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  if (typeof workerId !== "string" || workerId.trim() === "") throw new TypeError("Queue option workerId must be a non-empty string.");
  return {
    leaseMs: integer("leaseMs", options.leaseMs, 60_000, 30),
    pollMs: integer("pollMs", options.pollMs, 500, 5),
    defaultAttempts: integer("defaultAttempts", options.defaultAttempts, 3, 1),
    backoffMs,
    maxBackoffMs: integer("maxBackoffMs", options.maxBackoffMs, Math.max(300_000, backoffMs), backoffMs),
    retentionMs: integer("retentionMs", options.retentionMs, 7 * 24 * 3_600_000, 1),
    workerId,
    defaultGraceMs: integer("defaultGraceMs", options.defaultGraceMs, 10_000, 0),
    logger: options.logger ?? consoleLogger("queue"),
  };
}
