import type { ControlDeps } from "./deps.ts";
import { approvedOrWhy, approveTask } from "./approve-task.ts";
import { cancelTaskUseCase } from "./cancel-task.ts";
import { createTask } from "./create-task.ts";
import { effectiveSettings, listModels } from "./effective-settings.ts";
import { getTask } from "./get-task.ts";
import { listTasks } from "./list-tasks.ts";
import { messageTask } from "./message-task.ts";
import { pauseTask } from "./pause-task.ts";
import type { ControlPlane } from "./port.ts";
import { listBranches, listRepositories } from "./repositories.ts";
import { resumeTask } from "./resume-task.ts";
import { retryTask } from "./retry-task.ts";
import { reviseTask } from "./revise-task.ts";
import { taskDiff } from "./task-diff.ts";
import { followTask, taskEvents, waitForChange } from "./task-events.ts";
import { taskSummary } from "./task-summary.ts";

/**
 * The control plane every face calls (port.ts), each use case in its own
 * file. Built once by the composition root with the task pipeline's
 * dependencies and the few more it needs (deps.ts).
 */
export function createControlPlane(deps: ControlDeps): ControlPlane {
  return {
    list: (caller, query) => listTasks(deps, caller, query),
    get: (caller, id) => getTask(deps, caller, id),
    create: (caller, input) => createTask(deps, caller, input),
    approve: async (caller, id, input) => {
      const result = await approveTask(deps, caller, id, input.note === undefined ? {} : { note: input.note });
      return result.ok ? approvedOrWhy(result.value) : result;
    },
    revise: (caller, id, input) => reviseTask(deps, caller, id, input),
    message: (caller, id, input) => messageTask(deps, caller, id, input),
    cancel: (caller, id, input) => cancelTaskUseCase(deps, caller, id, input),
    pause: (caller, id, input) => pauseTask(deps, caller, id, input),
    resume: (caller, id, input) => resumeTask(deps, caller, id, input),
    retry: (caller, id) => retryTask(deps, caller, id),
    diff: (caller, id) => taskDiff(deps, caller, id),
    events: (caller, id, input) => taskEvents(deps, caller, id, input),
    follow: (caller, id, input) => followTask(deps, caller, id, input),
    waitForChange: (caller, id, input) => waitForChange(deps, caller, id, input),
    repositories: (caller) => listRepositories(deps, caller),
    branches: (caller, repository) => listBranches(deps, caller, repository),
    summary: (caller, id) => taskSummary(deps, caller, id),
    models: (caller) => listModels(deps, caller),
    repositorySettings: (caller, repository) => effectiveSettings(deps, caller, repository),
  };
}
