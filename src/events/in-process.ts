/**
 * The EventFeed of a single process (the embedded SQLite setup, where the
 * web server and the worker run in one process): a notice goes straight to
 * the subscribers, synchronously, so nothing is missed between subscribing
 * and the next write.
 */
import type { Logger } from "../domain/logger.ts";
import type { EventFeed } from "./port.ts";
import { Subscribers } from "./subscribers.ts";

export function createInProcessFeed(options: { logger?: Logger } = {}): EventFeed {
  const subscribers = new Subscribers(options.logger);
  return {
    notify: async (taskId) => subscribers.emit(taskId),
    subscribe: (taskId, onNotice) => subscribers.add(taskId, onNotice),
    close: async () => subscribers.clear(),
  };
}
