import type { Caller } from "../../domain/actor.ts";
import type { Task, TaskLogEvent, TaskState } from "../../domain/model.ts";
import { taskFor } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { Result } from "./port.ts";
import { fail, ok } from "./result.ts";

export const MAX_EVENTS_PAGE = 1000;
const FOLLOW_BATCH = 500;

/** The task's event log after `after`, oldest first. */
export async function taskEvents(deps: ControlDeps, caller: Caller, id: string, input: { after: number; limit: number }): Promise<Result<TaskLogEvent[]>> {
  if (!Number.isInteger(input.after) || input.after < 0) return fail("invalid", "Invalid position", "`after` is an event id: a whole number, 0 for the start.");
  const found = await taskFor(deps, caller, id, "read");
  if (!found.ok) return found;
  return ok(await deps.store.readEvents(id, input.after, Math.max(1, Math.min(input.limit, MAX_EVENTS_PAGE))));
}

/**
 * History, then live: the events after `after` as the store has them, then
 * each time the feed says the task's log grew, the events after the last one
 * given. Ends when `signal` aborts. Permission is checked once, here.
 */
export async function followTask(deps: ControlDeps, caller: Caller, id: string, input: { after: number; signal: AbortSignal }): Promise<Result<AsyncIterable<TaskLogEvent>>> {
  const first = await taskEvents(deps, caller, id, { after: input.after, limit: 1 });
  if (!first.ok) return first;
  return ok(stream(deps, id, input.after, input.signal));
}

async function* stream(deps: ControlDeps, id: string, after: number, signal: AbortSignal): AsyncGenerator<TaskLogEvent> {
  const notices = noticeGate(deps, id, signal);
  let last = after;
  try {
    while (!signal.aborted) {
      const batch = await deps.store.readEvents(id, last, FOLLOW_BATCH);
      for (const event of batch) {
        if (signal.aborted) return;
        last = event.id;
        yield event;
      }
      if (batch.length < FOLLOW_BATCH) await notices.next();
    }
  } finally {
    notices.close();
  }
}

/**
 * Waiting for the feed's notices of one task: `next()` resolves at the next
 * notice (at once if one came since the last call) or when the signal
 * aborts. Subscribed before the first read, so nothing between is missed.
 */
function noticeGate(deps: Pick<ControlDeps, "feed">, id: string, signal: AbortSignal, timeoutMs?: number) {
  let pending = false;
  let wake: (() => void) | null = null;
  const fire = () => {
    pending = true;
    wake?.();
  };
  const unsubscribe = deps.feed.subscribe(id, fire);
  signal.addEventListener("abort", fire, { once: true });
  const timer = timeoutMs === undefined ? null : setTimeout(fire, timeoutMs);
  return {
    next: () =>
      new Promise<void>((resolve) => {
        if (pending || signal.aborted) {
          pending = false;
          return resolve();
        }
        wake = () => {
          wake = null;
          pending = false;
          resolve();
        };
      }),
    close: () => {
      unsubscribe();
      signal.removeEventListener("abort", fire);
      if (timer) clearTimeout(timer);
    },
  };
}

/** Resolves when the task's state is not `state` (its current one when not given), or after `timeoutMs` (changed: false). */
export async function waitForChange(
  deps: ControlDeps,
  caller: Caller,
  id: string,
  input: { state?: TaskState; timeoutMs: number; signal?: AbortSignal },
): Promise<Result<{ task: Task; changed: boolean }>> {
  const found = await taskFor(deps, caller, id, "read");
  if (!found.ok) return found;
  const from = input.state ?? found.value.state;
  const deadline = Date.now() + Math.max(0, input.timeoutMs);
  const controller = new AbortController();
  const stop = () => controller.abort();
  input.signal?.addEventListener("abort", stop, { once: true });
  const notices = noticeGate(deps, id, controller.signal, Math.max(0, input.timeoutMs));
  try {
    let task = found.value;
    for (;;) {
      if (task.state !== from) return ok({ task, changed: true });
      if (controller.signal.aborted || Date.now() >= deadline) return ok({ task, changed: false });
      await notices.next();
      task = (await deps.store.get(id)) ?? task;
    }
  } finally {
    notices.close();
    input.signal?.removeEventListener("abort", stop);
  }
}
