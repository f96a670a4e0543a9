/**
 * Chooses the event feed from the settings, the one place that does: with
 * REDIS_URL set, Redis pub/sub (every process and machine); otherwise, with
 * DATABASE_URL set (several processes share PostgreSQL), polling the store;
 * otherwise (embedded SQLite: one process) in-process.
 */
import type { Logger } from "../domain/logger.ts";
import type { TaskStore } from "../store/port.ts";
import { createInProcessFeed } from "./in-process.ts";
import { createPollingFeed, type EventIdSource } from "./polling.ts";
import type { EventFeed } from "./port.ts";

export interface EventFeedSettings {
  redisUrl?: string | undefined;
  databaseUrl?: string | undefined;
  /** JULES_REDIS_PREFIX: deployments sharing one Redis get their own channel (`<prefix>:task-events`), as their own queues. */
  redisPrefix?: string | undefined;
}

export type EventFeedKind = "redis" | "polling" | "in-process";

export const eventFeedKind = (settings: EventFeedSettings): EventFeedKind => (settings.redisUrl ? "redis" : settings.databaseUrl ? "polling" : "in-process");

const hasEventIds = (store: object): store is EventIdSource => typeof (store as Partial<EventIdSource>).latestEventIds === "function";

/** `store` is the store as opened (openStore), before withEventFeed wraps it. */
export async function openEventFeed(settings: EventFeedSettings, store: TaskStore, options: { logger?: Logger; pollMs?: number } = {}): Promise<EventFeed> {
  const logger = options.logger ? { logger: options.logger } : {};
  const kind = eventFeedKind(settings);
  // ioredis is loaded only when configured.
  if (kind === "redis") return (await import("./redis.ts")).createRedisFeed({ url: settings.redisUrl!, channel: `${settings.redisPrefix ?? "openjules"}:task-events`, ...logger });
  if (kind === "polling") {
    if (!hasEventIds(store)) throw new TypeError("The polling event feed needs the store as opened (one with latestEventIds), not a wrapped one.");
    return createPollingFeed(store, { ...logger, ...(options.pollMs ? { intervalMs: options.pollMs } : {}) });
  }
  return createInProcessFeed(logger);
}
