import type { Caller } from "../../domain/actor.ts";
import { issueUrl, planCommentUrl } from "../../render/links.ts";
import { allowWithRole, roleLookup } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { Result, TaskView } from "./port.ts";
import { noSuchTask, ok } from "./result.ts";

/** One task with its state history, its places on GitHub, and whether the caller may change it. */
export async function getTask(deps: ControlDeps, caller: Caller, id: string): Promise<Result<TaskView>> {
  const task = await deps.store.get(id);
  if (!task) return noSuchTask(id);
  // One role lookup answers both: may the caller see the task, and may they change it.
  const role = roleLookup(deps, caller, task);
  const read = await allowWithRole(caller, "read", task, role);
  if (!read.ok) return read.error.code === "not_found" ? noSuchTask(id) : read;
  const [history, write] = await Promise.all([deps.store.history(id), allowWithRole(caller, "write", task, role)]);
  return ok({
    task,
    history,
    links: { issue: issueUrl(deps.webBase, task), plan: planCommentUrl(deps.webBase, task), pullRequest: task.pullRequestUrl },
    permissions: { write: write.ok },
  });
}
