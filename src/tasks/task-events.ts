import type { TaskEvents } from "../agent/port.ts";
import type { LogEventData, LogEventType } from "../domain/model.ts";
import { redactDeep, redactSecrets } from "../security/redact.ts";
import type { TaskStore } from "../store/port.ts";
import type { TaskDeps } from "./deps.ts";

/**
 * The event sink of one run (a plan or an execute job) over the store's event
 * log: every string redacted (the process's secrets and the known secret
 * shapes, security/redact.ts; the API redacts again as a second line of
 * defence), events written in the order they were emitted, in batches.
 * Output chunks of one source in a row are coalesced into one event of at
 * most `maxChunk` characters; a batch is written `flushMs` after its first
 * event, or at once when a chunk is full, before any state change of the
 * run (`store`: the store with every transition and direct append waiting
 * for the sink first) and at the end (`close`). A long run's output is
 * written less often (`slowFlushMs` after `slowAfter` output events), so it
 * does not crowd the rest of the log out of its retention. A failed write is
 * logged and its events dropped: the event log never fails a task.
 */

export interface RunEvents extends TaskEvents {
  /** Writes what is pending; resolves once it is written (or its failure logged). Never rejects. */
  flush(): Promise<void>;
  /** Whether this run emitted an event of the type. */
  emitted(type: LogEventType): boolean;
  /** The end of the run: flushes, and from now on each event is written at once. */
  close(): Promise<void>;
}

export interface RunEventsOptions {
  flushMs?: number;
  maxChunk?: number;
  slowAfter?: number;
  slowFlushMs?: number;
}

type EventDeps = Pick<TaskDeps, "store" | "log" | "secrets">;
type Output = Extract<LogEventData, { type: "output" }>;

export function runEvents(deps: EventDeps, taskId: string, options: RunEventsOptions = {}): RunEvents {
  const flushMs = options.flushMs ?? 250;
  const maxChunk = options.maxChunk ?? 8192;
  const slowAfter = options.slowAfter ?? 500;
  const slowFlushMs = options.slowFlushMs ?? 2000;
  const queue: LogEventData[] = [];
  const seen = new Set<LogEventType>();
  let output: Output | null = null;
  let outputs = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const seal = () => {
    if (!output) return;
    queue.push({ ...output, chunk: redactSecrets(output.chunk, deps.secrets) });
    outputs++;
    output = null;
  };
  const schedule = (ms: number) => {
    if (closed) return void flush();
    if (timer) return;
    timer = setTimeout(() => void flush(), ms);
    timer.unref();
  };
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    seal();
    if (queue.length === 0) return writing;
    const batch = queue.splice(0);
    writing = writing.then(async () => {
      try {
        await deps.store.appendEvents(taskId, batch);
      } catch (err) {
        deps.log.warn({ err, taskId, events: batch.length }, "could not write to the task's event log; those events are lost");
      }
    });
    return writing;
  };

  return {
    emit(data) {
      seen.add(data.type);
      if (data.type !== "output") {
        seal();
        queue.push(redactDeep(data, deps.secrets));
        return schedule(flushMs);
      }
      if (data.chunk === "") return;
      if (output && (output.source !== data.source || output.chunk.length + data.chunk.length > maxChunk)) seal();
      output = output ? { ...output, chunk: output.chunk + data.chunk } : { ...data };
      if (output.chunk.length >= maxChunk) return void flush();
      schedule(outputs >= slowAfter ? slowFlushMs : flushMs);
    },
    flush,
    emitted: (type) => seen.has(type),
    async close() {
      closed = true;
      await flush();
    },
  };
}

/**
 * The store as a run uses it: a transition or a direct append (a pause's
 * event) first waits for the run's pending events, so the log keeps the
 * order things happened in (the state change after the output that led to it).
 */
export function orderedStore(store: TaskStore, events: Pick<RunEvents, "flush">): TaskStore {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      if (key === "transition" || key === "appendEvents") {
        return async (...args: unknown[]) => {
          await events.flush();
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

/** A run's events and the deps it works with (their store ordered after the events). */
export function withRunEvents<D extends EventDeps>(deps: D, taskId: string, options?: RunEventsOptions): { deps: D; events: RunEvents } {
  const events = runEvents(deps, taskId, options);
  return { deps: { ...deps, store: orderedStore(deps.store, events) }, events };
}

/** The end of a run: its usage when it did not say it (a failure), then everything written. */
export async function endRun(deps: Pick<TaskDeps, "store">, taskId: string, events: RunEvents): Promise<void> {
  if (!events.emitted("usage")) {
    const usage = (await deps.store.get(taskId).catch(() => null))?.usage;
    if (usage) events.emit({ type: "usage", usage });
  }
  await events.close();
}
