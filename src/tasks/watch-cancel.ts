import type { TaskStore } from "../store/port.ts";
import { isTerminal } from "../domain/state-machine.ts";

/**
 * An AbortSignal that fires when the task ends elsewhere (cancelled by a
 * comment handled in another process, closed issue) or the job's own signal
 * fires. Polls the store, so it works across processes and machines.
 */
export function watchTask(store: TaskStore, taskId: string, jobSignal: AbortSignal, everyMs = 2000): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const onJobAbort = () => controller.abort(jobSignal.reason);
  jobSignal.addEventListener("abort", onJobAbort, { once: true });
  const timer = setInterval(() => {
    store.get(taskId).then(
      (task) => {
        if (!task || isTerminal(task.state)) controller.abort(new Error(`task ${task?.state ?? "deleted"}`));
      },
      () => undefined,
    );
  }, everyMs);
  timer.unref();
  return {
    signal: controller.signal,
    stop: () => {
      clearInterval(timer);
      jobSignal.removeEventListener("abort", onJobAbort);
    },
  };
}
