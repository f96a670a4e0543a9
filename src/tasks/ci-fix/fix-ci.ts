import type { RepoConfig } from "../../config/repo-config.ts";
import * as replies from "../../render/replies.ts";
import type { TaskDeps } from "../deps.ts";
import { failingRuns } from "./evidence.ts";
import { type CiFixContext, startCiFix } from "./start.ts";
import { refreshCiFixStatus } from "./status.ts";

export interface FixCiRequest {
  owner: string;
  repo: string;
  installationId: number;
  pullRequestNumber: number;
  /** Who asked (a writer: the caller checked), and their comment. */
  login: string;
  commentId: number;
  createdAt: string;
  config: RepoConfig;
  defaultBranch: string;
}

/**
 * `/jules fix-ci` on a pull request OpenJules opened: a follow-up with what
 * the checks that fail on its head commit said, asked by a person (so not
 * counted against max_ci_fix_attempts, and not stopped by a person's push:
 * they asked). Every failing check is included, those that fail on the base
 * branch too as well (the person may want them fixed here). Returns the reply
 * for the thread, or null when the CI fix comment says it all.
 */
export async function requestCiFix(ctx: CiFixContext & { deps: TaskDeps }, r: FixCiRequest): Promise<string | null> {
  const { deps, gh } = ctx;
  const repo = { owner: r.owner, repo: r.repo };
  const origin = await deps.store.findByPullRequest(r.owner, r.repo, r.pullRequestNumber);
  if (!origin?.branch) return replies.notOnPullRequest({ login: r.login, command: r.config.command });
  const pull = await gh.pullRequest(repo, r.pullRequestNumber);
  const slug = (await deps.identity(r.installationId)).slug;
  const runs = await gh.checkRuns(repo, pull.headSha);
  const failing = failingRuns(runs, slug);
  if (failing.length === 0) {
    const running = runs.filter((x) => x.status !== "completed").length;
    const detail = `No check fails on the pull request's latest commit ${pull.headSha.slice(0, 7)}${running > 0 ? ` (${running} still running: ask again once they end)` : ""}.`;
    return replies.cannotNow({ login: r.login, detail });
  }
  const base = origin.baseBranch ?? r.defaultBranch;
  const onBase = new Set(failingRuns(await gh.checkRuns(repo, base), slug).map((x) => x.name));
  const key = { ...repo, pullRequestNumber: r.pullRequestNumber, headSha: pull.headSha };
  const { record } = await deps.store.ciFixes.record(
    key,
    failing.map((x) => ({ name: x.name, url: x.url, onBase: onBase.has(x.name) })),
  );
  const running = record.taskId ? await deps.store.get(record.taskId) : null;
  if (running && !["done", "failed", "cancelled"].includes(running.state)) return replies.busy({ login: r.login, task: running, command: r.config.command });
  const started = await startCiFix(ctx, {
    origin,
    pullRequestNumber: r.pullRequestNumber,
    headSha: pull.headSha,
    failing,
    automatic: false,
    requestedBy: r.login,
    config: r.config,
    triggerCommentId: r.commentId,
    triggerCreatedAt: r.createdAt,
  });
  if (started.kind === "busy") return replies.busy({ login: r.login, task: started.active, command: r.config.command });
  // A person's request keeps an automatic attempt already counted for this commit as it was.
  await deps.store.ciFixes.update(key, { decision: record.automatic ? "started" : "requested", reason: null, detail: record.automatic ? null : r.login, taskId: started.task.id });
  await refreshCiFixStatus(deps, gh, { installationId: r.installationId, ...repo, pullRequestNumber: r.pullRequestNumber, base }, r.config);
  return null;
}
