import type { RepoConfig } from "../../config/repo-config.ts";
import type { CiFailure, Task } from "../../domain/model.ts";
import type { CheckRunInfo, GitHubGateway } from "../../github/port.ts";
import type { UseCaseDeps } from "../deps.ts";
import { type FollowUpResult, startFollowUp } from "../start-follow-up.ts";
import { evidenceText, readFailures } from "./evidence.ts";
import { ciInstruction } from "./plan.ts";

/** What the CI fix use cases run with: the worker's dependencies and the installation's GitHub. */
export interface CiFixContext {
  deps: UseCaseDeps;
  gh: GitHubGateway;
  /** The app's bot login once known (kept out of thread snapshots). */
  ownLogin: string | null;
}

export interface CiFixStart {
  origin: Task;
  pullRequestNumber: number;
  headSha: string;
  /** The failing check runs to fix (their output, annotations and job logs are read now). */
  failing: readonly CheckRunInfo[];
  automatic: boolean;
  requestedBy: string;
  config: RepoConfig;
  triggerCommentId: number | null;
  /** GitHub's time of the trigger (the checks' completion, or the comment): where the thread snapshot stops. */
  triggerCreatedAt: string;
}

/**
 * Reads what the failing checks said and starts a follow-up on the pull
 * request's branch with it: the instruction names the checks, the evidence
 * (sanitized, redacted) goes with the approved snapshot and reaches the agent
 * as delimited feedback.
 */
export async function startCiFix(ctx: CiFixContext, input: CiFixStart): Promise<FollowUpResult> {
  const repo = { owner: input.origin.owner, repo: input.origin.repo };
  const failures = await readFailures(ctx.gh, repo, input.failing);
  const ci: CiFailure = {
    headSha: input.headSha,
    checks: input.failing.map((r) => r.name),
    automatic: input.automatic,
    evidence: evidenceText(failures, input.headSha, ctx.deps.secrets),
  };
  const result = await startFollowUp(ctx.deps, {
    origin: input.origin,
    pullRequestNumber: input.pullRequestNumber,
    feedback: ciInstruction(ci),
    location: null,
    requestedBy: input.requestedBy,
    face: input.automatic ? "system" : "thread",
    command: input.config.command,
    triggerCommentId: input.triggerCommentId,
    triggerCreatedAt: input.triggerCreatedAt,
    gh: ctx.gh,
    ownLogin: ctx.ownLogin,
    ci,
  });
  // A retried job finds the follow-up it started before it could record it: the same head's fix is not another task's.
  if (result.kind === "busy" && isFixOf(result.active, input.headSha)) return { kind: "duplicate", task: result.active };
  return result;
}

function isFixOf(task: Task, headSha: string): boolean {
  return task.kind === "follow_up" && (task.planContext?.ci?.headSha === headSha || task.instruction.includes(`commit ${headSha.slice(0, 12)}.`));
}
