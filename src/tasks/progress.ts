import type { Progress } from "../agent/port.ts";
import type { TaskDeps } from "./deps.ts";
import type { Usage } from "../domain/model.ts";

/**
 * Relays the agent's progress to the task record and the status comment.
 * `base` is the usage of earlier phases, so the comment shows the task's total.
 */
export function taskProgress(deps: Pick<TaskDeps, "store" | "status" | "log">, taskId: string, base: Usage | null): Progress {
  const save = (patch: Parameters<TaskDeps["store"]["update"]>[1]) => {
    deps.store
      .update(taskId, patch)
      .then((task) => deps.status.refresh(task))
      .catch((err: unknown) => deps.log.warn({ err, taskId }, "could not record progress"));
  };
  return {
    activity: (line) => save({ activity: line }),
    usage: (usage) => save({ usage: addUsage(base, usage) }),
  };
}

export function addUsage(a: Usage | null, b: Usage): Usage {
  if (!a) return b;
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    calls: a.calls + b.calls,
    wallMs: a.wallMs + b.wallMs,
    costUsd: a.costUsd + b.costUsd,
  };
}
