import type { RepoConfig } from "../../config/repo-config.ts";
import type { GitHubGateway } from "../../github/port.ts";
import { type CiFixRow, renderCiFixStatus } from "../../render/ci-fix.ts";
import type { CiFixRecord } from "../../store/port.ts";
import type { UseCaseDeps } from "../deps.ts";

/** Where a pull request is, as the CI fix comment needs it. */
export interface PullRef {
  installationId: number;
  owner: string;
  repo: string;
  pullRequestNumber: number;
  /** The pull request's base branch, named in the comment. */
  base: string;
}

/**
 * The pull request's CI fix comment (render/ci-fix.ts), posted once and then
 * edited in place, from the store's records and their follow-ups' states as
 * they are now. A failure to post or edit is thrown: the job is retried and
 * posts it then (what was decided is in the store already).
 */
export async function refreshCiFixStatus(deps: Pick<UseCaseDeps, "store" | "webBase">, gh: GitHubGateway, pull: PullRef, config: RepoConfig): Promise<void> {
  const records = await deps.store.ciFixes.list(pull.owner, pull.repo, pull.pullRequestNumber);
  if (records.length === 0) return;
  const rows = await Promise.all(records.map((r) => row(deps, pull, r)));
  const body = renderCiFixStatus({ rows, mode: config.ci_fix, maxAttempts: config.max_ci_fix_attempts, command: config.command, base: pull.base });
  const repo = { owner: pull.owner, repo: pull.repo };
  const existing = await deps.store.ciFixes.statusComment(pull.owner, pull.repo, pull.pullRequestNumber);
  if (existing !== null) return gh.editComment(repo, existing, body);
  const posted = await gh.comment(repo, pull.pullRequestNumber, body);
  await deps.store.ciFixes.setStatusComment(pull.owner, pull.repo, pull.pullRequestNumber, posted.id);
}

async function row(deps: Pick<UseCaseDeps, "store" | "webBase">, pull: PullRef, record: CiFixRecord): Promise<CiFixRow> {
  const task = record.taskId ? await deps.store.get(record.taskId) : null;
  const url = task?.statusCommentId ? `${deps.webBase}/${pull.owner}/${pull.repo}/pull/${pull.pullRequestNumber}#issuecomment-${task.statusCommentId}` : null;
  return {
    headSha: record.headSha,
    decision: record.decision,
    automatic: record.automatic,
    reason: record.reason,
    detail: record.detail,
    checks: record.checks,
    fixSha: record.fixSha,
    verdict: record.verdict,
    task: task ? { state: task.state, url } : null,
  };
}
