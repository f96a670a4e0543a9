import type { Caller } from "../../domain/actor.ts";
import { taskFor } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { Result, TaskDiff } from "./port.ts";
import { fail, ok } from "./result.ts";

/** The task's branch against its base (GitHub's compare of base...branch), as a unified diff. */
export async function taskDiff(deps: ControlDeps, caller: Caller, id: string): Promise<Result<TaskDiff>> {
  const found = await taskFor(deps, caller, id, "read");
  if (!found.ok) return found;
  const task = found.value;
  if (!task.branch) return fail("not_found", "No branch yet", `Task ${id} is ${task.state} and has pushed no branch yet; its diff exists once it has.`);
  const gh = await deps.github.forInstallation(task.installationId);
  const base = task.baseBranch ?? (await deps.installations.find(task))?.defaultBranch;
  if (!base) return fail("not_found", "Repository not found", `OpenJules can no longer see ${task.owner}/${task.repo}.`);
  const diff = await gh.compareDiff(task, base, task.branch);
  if (diff === null) return fail("not_found", "Branch not found", `GitHub has no ${task.branch} or ${base} in ${task.owner}/${task.repo} any more (deleted after the task?).`);
  return ok({ base, branch: task.branch, diff });
}
