/**
 * The EventFeed across processes and machines through Redis pub/sub
 * (REDIS_URL set): `notify` publishes the task id on one channel; each feed
 * (one per process) holds a single subscriber connection, opened at the first
 * subscribe, and hands every message to that task's subscribers here. When
 * the subscription starts (and again after a reconnect) every subscriber gets
 * a notice, since notices published before it was in place were missed; a
 * reader then re-reads the store after its last id, so no event is lost.
 */
import { Redis } from "ioredis";
import { errorMessage } from "../domain/error-message.ts";
import type { Logger } from "../domain/logger.ts";
import { consoleLogger } from "../log.ts";
import { describeServiceUrl } from "../security/service-url.ts";
import type { EventFeed } from "./port.ts";
import { Subscribers } from "./subscribers.ts";

export interface RedisFeedOptions {
  /** redis:// or rediss:// URL (REDIS_URL). */
  url: string;
  /** The pub/sub channel: `<JULES_REDIS_PREFIX>:task-events` (events/open.ts); tests give each feed its own. Default "openjules:task-events". */
  channel?: string;
  logger?: Logger;
}

export const DEFAULT_CHANNEL = "openjules:task-events";

const REDIS_URL = { variable: "REDIS_URL", protocols: ["redis:", "rediss:"], example: "redis://[:password@]host:6379[/db] or rediss:// for TLS" } as const;

export class RedisEventFeed implements EventFeed {
  readonly channel: string;
  readonly #url: string;
  readonly #where: string;
  readonly #logger: Logger;
  readonly #subscribers: Subscribers;
  #publisher: Redis | undefined;
  #subscriber: Redis | undefined;
  #subscribed: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisFeedOptions) {
    this.#where = describeServiceUrl(options.url, REDIS_URL);
    this.#url = options.url;
    this.channel = options.channel ?? DEFAULT_CHANNEL;
    this.#logger = options.logger ?? consoleLogger("events");
    this.#subscribers = new Subscribers(this.#logger);
  }

  async notify(taskId: string): Promise<void> {
    if (this.#closed) return;
    this.#publisher ??= this.#connect("publisher");
    await this.#publisher.publish(this.channel, taskId);
  }

  subscribe(taskId: string, onNotice: () => void): () => void {
    const remove = this.#subscribers.add(taskId, onNotice);
    if (!this.#closed) this.#listen();
    return remove;
  }

  /** Resolves once this process's subscription is in place (notices published from then on arrive). */
  ready(): Promise<void> {
    return this.#subscribed ?? this.#listen();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscribers.clear();
    const connections = [this.#publisher, this.#subscriber].filter((c): c is Redis => c !== undefined);
    this.#publisher = this.#subscriber = undefined;
    await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
  }

  #listen(): Promise<void> {
    if (this.#subscribed) return this.#subscribed;
    const subscriber = this.#connect("subscriber");
    this.#subscriber = subscriber;
    subscriber.on("message", (channel: string, taskId: string) => {
      if (channel === this.channel) this.#subscribers.emit(taskId);
    });
    let first = true;
    subscriber.on("ready", () => {
      // The first ready is before the SUBSCRIBE below; a later one is a reconnect, after which ioredis subscribes again.
      if (!first) this.#subscribers.emitAll();
      first = false;
    });
    this.#subscribed = subscriber.subscribe(this.channel).then(
      () => this.#subscribers.emitAll(),
      (error: unknown) => {
        this.#logger.error({ redis: this.#where, error: errorMessage(error) }, "Could not subscribe to the task events channel; live updates wait for the next reconnect.");
      },
    );
    return this.#subscribed;
  }

  #connect(role: string): Redis {
    const connection = new Redis(this.#url, { maxRetriesPerRequest: 3, connectionName: `openjules-events-${role}` });
    connection.on("error", (error: Error) =>
      this.#logger.warn({ redis: this.#where, role, error: error.message }, "The Redis connection of the event feed failed; ioredis reconnects."),
    );
    return connection;
  }
}

export function createRedisFeed(options: RedisFeedOptions): RedisEventFeed {
  return new RedisEventFeed(options);
}
