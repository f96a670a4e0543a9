import type { Progress, TaskEvents } from "../agent/port.ts";
import { redactSecrets } from "../security/redact.ts";
import type { TaskDeps } from "./deps.ts";
import type { Usage } from "../domain/model.ts";

/**
 * Relays the agent's progress to the task record and the status comment.
 * `base` is the usage of earlier phases, so the comment shows the task's total.
 * Each activity line is also an `activity` event of the task's log (`events`),
 * and is stored redacted (it can quote a repository's command).
 */
export function taskProgress(deps: Pick<TaskDeps, "store" | "status" | "log" | "secrets">, taskId: string, base: Usage | null, events?: TaskEvents): Progress {
  const save = (patch: Parameters<TaskDeps["store"]["update"]>[1]) => {
    deps.store
      .update(taskId, patch)
      .then((task) => deps.status.refresh(task))
      .catch((err: unknown) => deps.log.warn({ err, taskId }, "could not record progress"));
  };
  return {
    activity: (line) => {
      events?.emit({ type: "activity", line });
      save({ activity: redactSecrets(line, deps.secrets) });
    },
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
