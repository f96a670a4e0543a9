/**
 * Chooses the job queue from the settings, the one place that does: with
 * REDIS_URL set, BullMQ on Redis (shared by every web and worker process);
 * otherwise the embedded queue in the task store's SQLite file under
 * JULES_DATA_DIR, as before. The lease and default attempts come from the
 * worker settings.
 */
import type { Logger } from "../domain/logger.ts";
import { openEmbeddedQueue } from "./embedded/index.ts";
import { sqlitePath } from "../store/open.ts";
import type { JobQueue } from "./port.ts";

/** The part of Settings the queue needs. */
export interface QueueSettings {
  dataDir: string;
  /** REDIS_URL: BullMQ when set. */
  redisUrl?: string | undefined;
  /** JULES_REDIS_PREFIX: the queue's key prefix in Redis (default "openjules"). */
  redisPrefix?: string | undefined;
  worker: { leaseMs: number; jobAttempts: number };
}

export interface OpenQueueOptions {
  /** Where the queue's own trouble is logged (pino-shaped). */
  logger?: Logger;
  /** Redis key prefix (BullMQ only), overriding the settings' (tests). Default "openjules". */
  prefix?: string;
}

export type QueueBackend = "embedded" | "bullmq";

export const queueBackend = (settings: QueueSettings): QueueBackend => (settings.redisUrl ? "bullmq" : "embedded");

/** Opens the configured queue; BullMQ waits until Redis answers (or fails naming REDIS_URL). */
export async function openQueue(settings: QueueSettings, options: OpenQueueOptions = {}): Promise<JobQueue> {
  const common = {
    leaseMs: settings.worker.leaseMs,
    defaultAttempts: settings.worker.jobAttempts,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const prefix = options.prefix ?? settings.redisPrefix;
  // BullMQ (and ioredis) is loaded only when configured.
  if (settings.redisUrl) return (await import("./bullmq/index.ts")).openBullmqQueue({ url: settings.redisUrl, ...common, ...(prefix ? { prefix } : {}) });
  return openEmbeddedQueue(sqlitePath(settings), common);
}
