import type { Failure, Task } from "../domain/model.ts";
import { ACTIVE } from "../domain/state-machine.ts";
import { redactDeep } from "../security/redact.ts";
import type { TaskDeps } from "./deps.ts";

/**
 * Ends a live task as failed, with what failed, why, and what the person can
 * do next, and shows it in the status comment. A task already ended is left
 * as it is (returns null). The failure is stored redacted (the process's
 * secrets and the known secret shapes): it can quote the model or a command,
 * and the task API, the MCP server and the CLI show it as stored.
 */
export async function failTask(deps: Pick<TaskDeps, "store" | "status" | "secrets">, taskId: string, failure: Failure, actor = "openjules"): Promise<Task | null> {
  const shown = redactDeep(failure, deps.secrets);
  const failed = await deps.store.transition(taskId, { from: ACTIVE, to: "failed", actor, reason: `${shown.phase}: ${shown.reason}`, patch: { failure: shown } });
  if (failed) await deps.status.refresh(failed);
  return failed;
}
