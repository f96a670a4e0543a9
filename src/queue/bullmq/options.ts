/**
 * Settings of the BullMQ queue, their defaults and their validation (a bad
 * value fails at open with a message naming it), and REDIS_URL checked and
 * described without its password. The logger is pino-shaped, like the
 * embedded queue's, so Probot's logger can be passed as is; only the queue's
 * own trouble is logged (Redis errors, lost locks, an onFailed that threw),
 * never job data.
 */
import { hostname } from "node:os";
import type { Logger } from "../../domain/logger.ts";
import { consoleLogger } from "../../log.ts";
import { describeServiceUrl } from "../../security/service-url.ts";

export interface BullmqQueueOptions {
  /** redis:// or rediss:// URL (REDIS_URL). Required. */
  url: string;
  /** Prefix of every Redis key the queue uses; tests give each queue its own. Default "openjules". */
  prefix?: string;
  /** BullMQ queue name under the prefix. Default "jobs". */
  queueName?: string;
  /** How long a worker owns a job without renewing: BullMQ's lockDuration (renewed every half of it). Default 60 s. */
  leaseMs?: number;
  /** Attempts for a job whose spec gives none. Default 3; at most MAX_JOB_ATTEMPTS. */
  defaultAttempts?: number;
  /** First retry delay; doubles per attempt, with jitter. Default 1 s. */
  backoffMs?: number;
  /** Finished jobs are kept this long, so their ids still de-duplicate. Default 7 days. */
  retentionMs?: number;
  /** Grace period of stop() when none is given. Default 10 s. */
  defaultGraceMs?: number;
  /** How often idle() looks at the job counts. Default 200 ms. */
  pollMs?: number;
  /** How long open waits for Redis before failing. Default 10 s. */
  connectTimeoutMs?: number;
  /** A label for this worker in BullMQ (shown by dashboards). Default host:pid. */
  workerName?: string;
  logger?: Logger;
}

export type ResolvedBullmqOptions = Required<BullmqQueueOptions>;

/** Highest maxAttempts a job may ask for; BullMQ's own stall limit sits above it (see bullmq-queue.ts). */
export const MAX_JOB_ATTEMPTS = 100;

const REDIS_URL = { variable: "REDIS_URL", protocols: ["redis:", "rediss:"], example: "redis://[:password@]host:6379[/db] or rediss:// for TLS" } as const;

/** The URL with its password replaced, safe to print. Throws for something that is not a redis:// URL. */
export function describeRedisUrl(url: string): string {
  return describeServiceUrl(url, REDIS_URL);
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`Queue option ${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  return v;
}

function name(option: string, value: string | undefined, fallback: string): string {
  const v = value ?? fallback;
  if (typeof v !== "string" || !/^[A-Za-z0-9._-]+$/.test(v)) throw new TypeError(`Queue option ${option} must be letters, digits, ".", "_" or "-", got ${JSON.stringify(value)}.`);
  return v;
}

export function resolveBullmqOptions(options: BullmqQueueOptions): ResolvedBullmqOptions {
  describeRedisUrl(options.url);
  return {
    url: options.url,
    prefix: name("prefix", options.prefix, "openjules"),
    queueName: name("queueName", options.queueName, "jobs"),
    leaseMs: integer("leaseMs", options.leaseMs, 60_000, 100),
    defaultAttempts: integer("defaultAttempts", options.defaultAttempts, 3, 1, MAX_JOB_ATTEMPTS),
    backoffMs: integer("backoffMs", options.backoffMs, 1_000, 0),
    retentionMs: integer("retentionMs", options.retentionMs, 7 * 24 * 3_600_000, 1_000),
    defaultGraceMs: integer("defaultGraceMs", options.defaultGraceMs, 10_000, 0),
    pollMs: integer("pollMs", options.pollMs, 200, 5),
    connectTimeoutMs: integer("connectTimeoutMs", options.connectTimeoutMs, 10_000, 1),
    workerName: options.workerName ?? `${hostname()}:${process.pid}`,
    logger: options.logger ?? consoleLogger("queue"),
  };
}
