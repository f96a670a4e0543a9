import type { Caller } from "../../domain/actor.ts";
import { issueUrl, planCommentUrl } from "../../render/links.ts";
import { taskFor } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { Result, TaskView } from "./port.ts";
import { ok } from "./result.ts";

/** One task with its state history and its places on GitHub. */
export async function getTask(deps: ControlDeps, caller: Caller, id: string): Promise<Result<TaskView>> {
  const found = await taskFor(deps, caller, id, "read");
  if (!found.ok) return found;
  const task = found.value;
  const history = await deps.store.history(id);
  return ok({ task, history, links: { issue: issueUrl(deps.webBase, task), plan: planCommentUrl(deps.webBase, task), pullRequest: task.pullRequestUrl } });
}
