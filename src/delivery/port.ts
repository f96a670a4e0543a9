import type { ExecuteOutcome } from "../agent/port.ts";
import type { RepoConfig } from "../config/repo-config.ts";
import type { GitHubGateway } from "../github/port.ts";
import type { Logger } from "../domain/logger.ts";
import type { Plan, Task, Usage } from "../domain/model.ts";
import type { BotIdentity, Workspace } from "../workspace/port.ts";

/**
 * What delivery is given and what it answers. The execution job hands over
 * the agent's finished work (still in the task's workspace) and gets back one
 * outcome to report in the thread; GitHub and git errors are thrown, so the
 * job retries (every step is safe to run again, see deliver.ts).
 */

export interface DeliveryInput {
  task: Task;
  /** The approved plan (task.plan). */
  plan: Plan;
  outcome: ExecuteOutcome;
  /** The whole task's usage (planning, revisions and this run), as the status comment counts it, for the PR body. */
  usage: Usage | null;
  config: Pick<RepoConfig, "command" | "draft" | "labels" | "deny_paths" | "on_test_failure">;
  /** The task's workspace after the agent ran: on the base (new task) or on task.branch (follow-up, resumed task). */
  workspace: Workspace;
  /** The installation's GitHub port. */
  gh: GitHubGateway;
  /** The app's bot user: commits are authored by it, and a follow-up only pushes to pull requests it opened. */
  bot: BotIdentity;
  /** Values that must never leave (tokens, keys of this process); the built-in patterns are always applied. */
  secrets: readonly string[];
  /** GitHub's web address (https://github.com or the GHE host), for links and the noreply e-mail domain. */
  webBase: string;
  /** The task's page in the web app (JULES_PUBLIC_URL set), linked from the pull request; null otherwise. */
  taskPage?: string | null;
  log: Pick<Logger, "info" | "warn">;
  /**
   * Persists the branch as `task.branch` once it is on GitHub, before the pull
   * request is opened. A retried job then prepares its workspace on that
   * branch and delivery continues on it instead of opening a second one.
   */
  recordBranch(branch: string): Promise<void>;
}

export type DeliveryResult =
  | {
      kind: "pull_request";
      number: number;
      url: string;
      branch: string;
      draft: boolean;
      testsPassed: boolean | null;
      /** False when an open pull request for the branch was reused (a follow-up, or a retried job). */
      created: boolean;
      /** The commit at the head of the branch: the one this delivery pushed (or, for a retried job that found its pull request, that pull request's head). */
      headSha: string;
    }
  /** Tests failed and `on_test_failure: branch_only`: pushed, no pull request. */
  | { kind: "branch_only"; branch: string; url: string }
  | { kind: "no_changes" }
  /** Denied paths, a secret, or a follow-up on a pull request that is closed or not OpenJules': nothing was pushed. */
  | { kind: "blocked"; reason: string; hint: string }
  /** Tests failed and `on_test_failure: abort`: nothing was pushed. */
  | { kind: "aborted_tests_failed"; reason: string };

export type Blocked = Extract<DeliveryResult, { kind: "blocked" }>;

/** The caller broke delivery's contract (a bug, not a user error): e.g. a follow-up whose workspace is not on its branch. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryError";
  }
}
