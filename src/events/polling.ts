/**
 * The EventFeed for PostgreSQL without Redis: while anyone in this process is
 * subscribed, it asks the store every `intervalMs` (500 ms) for the newest
 * event id of each watched task (one query for all of them) and tells a
 * task's subscribers when it grew; with no subscriber it asks nothing. A
 * task's first poll after it is watched also gives a notice, so an event
 * written while the subscriber was setting up is read then, not at the next
 * event. Notices of this process's own writes (`notify`) go out at once.
 */
import { errorMessage } from "../domain/error-message.ts";
import type { Logger } from "../domain/logger.ts";
import type { EventFeed } from "./port.ts";
import { Subscribers } from "./subscribers.ts";

/** What the polling feed reads: both stores have it (`latestEventIds`). */
export interface EventIdSource {
  latestEventIds(taskIds: readonly string[]): Promise<Map<string, number>>;
}

export interface PollingFeedOptions {
  /** How often the watched tasks are checked. Default 500 ms. */
  intervalMs?: number;
  logger?: Logger;
}

export const DEFAULT_POLL_MS = 500;

export function createPollingFeed(source: EventIdSource, options: PollingFeedOptions = {}): EventFeed {
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_MS;
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 10) throw new RangeError(`The event feed's poll interval must be at least 10 ms, got ${intervalMs}.`);
  const subscribers = new Subscribers(options.logger);
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let closed = false;

  const poll = async (): Promise<void> => {
    const ids = subscribers.taskIds();
    for (const id of seen.keys()) if (!ids.includes(id)) seen.delete(id);
    try {
      const latest = await source.latestEventIds(ids);
      for (const id of ids) {
        const now = latest.get(id) ?? 0;
        const before = seen.get(id);
        if (before !== undefined && now <= before) continue;
        seen.set(id, now);
        subscribers.emit(id);
      }
    } catch (error) {
      options.logger?.warn({ error: errorMessage(error) }, "Could not poll the task store for new events; trying again at the next interval.");
    }
  };
  const schedule = () => {
    if (closed || timer || subscribers.size === 0) return;
    timer = setTimeout(() => {
      polling = poll().finally(() => {
        timer = undefined;
        polling = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };

  return {
    notify: async (taskId) => subscribers.emit(taskId),
    subscribe: (taskId, onNotice) => {
      const remove = subscribers.add(taskId, onNotice);
      schedule();
      return () => {
        remove();
        if (subscribers.size === 0 && timer && !polling) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await polling;
      subscribers.clear();
    },
  };
}
