import type { Settings } from "../settings.ts";
import { WorkspaceManager, type WorkspaceManagerOptions } from "./manager.ts";
import type { Workspaces } from "./port.ts";

/**
 * The process entry's way to build the workspace port: a WorkspaceManager
 * over the data directory, adapted to the task pipeline's `Workspaces` port
 * (a task's checkout at its base branch, or on its own branch for a
 * follow-up). The returned checkout is the full `Workspace` (branch, commit,
 * push, diff), so later pipeline steps can use it where they need it.
 */

export const DEFAULT_CACHE_MAX_BYTES = 20 * 1024 ** 3;
export const DEFAULT_REPO_MAX_BYTES = 2 * 1024 ** 3;

export function createWorkspaces(settings: Pick<Settings, "dataDir">, options: Partial<WorkspaceManagerOptions> = {}): Workspaces & { manager: WorkspaceManager } {
  const manager = new WorkspaceManager({ dataDir: settings.dataDir, cacheMaxBytes: DEFAULT_CACHE_MAX_BYTES, repoMaxBytes: DEFAULT_REPO_MAX_BYTES, ...options });
  return {
    manager,
    checkout: (task, { token, sizeKb }) =>
      manager.prepare({
        taskId: task.id,
        cloneUrl: task.cloneUrl,
        owner: task.owner,
        repo: task.repo,
        baseBranch: task.baseBranch,
        // A follow-up works on its pull request's branch; a retried task on the branch it already pushed.
        branch: task.branch ?? undefined,
        sizeKb,
        token,
      }),
  };
}
