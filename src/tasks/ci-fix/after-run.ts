import type { RepoConfig } from "../../config/repo-config.ts";
import type { GitHubGateway } from "../../github/port.ts";
import type { UseCaseDeps } from "../deps.ts";
import { refreshCiFixStatus } from "./status.ts";

/**
 * After an execute job of a task: when the task is a CI fix follow-up, its
 * outcome goes into the pull request's CI fix comment (the commit it pushed,
 * which the checks' verdict is then awaited on). Never fails the job: the
 * comment is shown again at the next checks' event.
 */
export async function afterCiFixRun(deps: Pick<UseCaseDeps, "store" | "webBase" | "log">, gh: GitHubGateway, taskId: string, config: RepoConfig): Promise<void> {
  try {
    const task = await deps.store.get(taskId);
    const ci = task?.planContext?.ci;
    if (!task || !ci || task.issueNumber === null) return;
    const key = { owner: task.owner, repo: task.repo, pullRequestNumber: task.issueNumber, headSha: ci.headSha };
    // The run can end before the job that started it recorded the task (a fast follow-up): the commit's record is the one.
    const found = (await deps.store.ciFixes.findByTask(taskId)) ?? (await deps.store.ciFixes.get(key));
    if (!found) return;
    const record = found.taskId === null ? await deps.store.ciFixes.update(key, { taskId }) : found;
    if (record.taskId !== taskId) return;
    if (task.state === "done" && record.fixSha === null) {
      const pull = await gh.pullRequest(task, task.issueNumber);
      if (pull.headSha.toLowerCase() !== record.headSha) await deps.store.ciFixes.update(key, { fixSha: pull.headSha });
    }
    const pull = { installationId: task.installationId, owner: task.owner, repo: task.repo, pullRequestNumber: task.issueNumber, base: task.baseBranch ?? "the base branch" };
    await refreshCiFixStatus(deps, gh, pull, config);
  } catch (error) {
    deps.log.warn({ err: error, taskId }, "could not show a CI fix's outcome on its pull request");
  }
}
