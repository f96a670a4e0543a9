/**
 * The subscribers of one process, by task, on an EventEmitter (the task id
 * is the event name): what every feed calls when it learns that a task's log
 * may have grown. A subscriber that throws is reported and does not keep the
 * others from their notice.
 */
import { EventEmitter } from "node:events";
import { errorMessage } from "../domain/error-message.ts";
import type { Logger } from "../domain/logger.ts";

export class Subscribers {
  readonly #emitter = new EventEmitter();
  readonly #logger: Logger | undefined;
  #count = 0;

  constructor(logger?: Logger) {
    this.#logger = logger;
    this.#emitter.setMaxListeners(0);
  }

  /** Adds `onNotice` for the task; returns its removal (calling it twice is harmless). */
  add(taskId: string, onNotice: () => void): () => void {
    const listener = () => {
      try {
        onNotice();
      } catch (error) {
        this.#logger?.warn({ taskId, error: errorMessage(error) }, "A subscriber of the task's events failed on a notice.");
      }
    };
    this.#emitter.on(taskId, listener);
    this.#count += 1;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#emitter.off(taskId, listener);
      this.#count -= 1;
    };
  }

  emit(taskId: string): void {
    this.#emitter.emit(taskId);
  }

  /** Tells every subscriber its task may have news (after a gap in which notices could be missed). */
  emitAll(): void {
    for (const taskId of this.taskIds()) this.emit(taskId);
  }

  taskIds(): string[] {
    return this.#emitter.eventNames().map(String);
  }

  get size(): number {
    return this.#count;
  }

  clear(): void {
    this.#emitter.removeAllListeners();
    this.#count = 0;
  }
}
