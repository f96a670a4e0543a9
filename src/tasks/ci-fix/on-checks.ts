import type { RepoConfig } from "../../config/repo-config.ts";
import type { Task } from "../../domain/model.ts";
import { type CiEvent, isFailure } from "../../github/ci-events.ts";
import type { CheckRunInfo } from "../../github/port.ts";
import type { CiFixCheck, CiFixKey, CiFixRecord } from "../../store/port.ts";
import type { TaskDeps } from "../deps.ts";
import { loadRepoConfig } from "../repo-config.ts";
import { decideCiFix, humanPushAfterOwn } from "./decide.ts";
import { failingRuns, isOwnCheck } from "./evidence.ts";
import { type CiFixContext, startCiFix } from "./start.ts";
import { type PullRef, refreshCiFixStatus } from "./status.ts";

/**
 * Checks completed on a pull request (the worker's side of `check_suite`,
 * `check_run` and `workflow_run`): only for a pull request OpenJules opened,
 * still open, with the checks on its head commit, and `ci_fix` not `off`.
 * A passing suite (or a failure) first settles the verdict on an earlier
 * fix whose commit this is. A failure is then recorded once per head commit
 * and decided (decide.ts): left alone when every failing check fails on the
 * base branch's head too, suggested (`ask`), or an automatic attempt claimed
 * in the store and started as a follow-up with what failed. The pull
 * request's CI fix comment shows the outcome.
 */
export async function onChecksCompleted(ctx: CiFixContext & { deps: TaskDeps }, event: CiEvent): Promise<void> {
  const { deps, gh } = ctx;
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const origin = await deps.store.findByPullRequest(repo.owner, repo.repo, event.issueNumber);
  if (!origin?.branch || (event.headBranch !== null && event.headBranch !== origin.branch)) return;
  const earlier = await deps.store.ciFixes.list(repo.owner, repo.repo, event.issueNumber);
  const awaiting = earlier.filter((r) => r.taskId !== null && r.verdict === null && (r.decision === "started" || r.decision === "requested"));
  // A passing suite matters only to a fix waiting for its verdict: nothing else is asked of GitHub for it.
  if (!isFailure(event) && awaiting.length === 0) return;

  const loaded = await loadRepoConfig(gh, repo);
  if (!loaded.ok || loaded.config.ci_fix === "off") return;
  const config = loaded.config;
  const pull = await gh.pullRequest(repo, event.issueNumber);
  if (pull.state !== "open" || pull.headSha.toLowerCase() !== event.headSha.toLowerCase()) return;
  const ref: PullRef = { installationId: event.installationId, ...repo, pullRequestNumber: event.issueNumber, base: origin.baseBranch ?? event.repo.defaultBranch };
  const slug = (await deps.identity(event.installationId)).slug;
  const runs = await gh.checkRuns(repo, pull.headSha);
  const failing = failingRuns(runs, slug);
  const settled = await settleVerdicts(deps, awaiting, pull.headSha, runs, failing, slug);
  if (failing.length === 0) return settled ? refreshCiFixStatus(deps, gh, ref, config) : undefined;

  const key: CiFixKey = { ...repo, pullRequestNumber: event.issueNumber, headSha: pull.headSha };
  const onBase = new Set(failingRuns(await gh.checkRuns(repo, ref.base), slug).map((r) => r.name));
  const checks: CiFixCheck[] = failing.map((r) => ({ name: r.name, url: r.url, onBase: onBase.has(r.name) }));
  const { record } = await deps.store.ciFixes.record(key, checks);
  const resumed = record.decision === "started" && record.taskId === null;
  if (record.decision === "pending" || resumed) {
    await decide(ctx, { event, origin, config, key, record, failing: failing.filter((r) => !onBase.has(r.name)), checks, ownLogin: `${slug}[bot]` });
  }
  await refreshCiFixStatus(deps, gh, ref, config);
}

interface Deciding {
  event: CiEvent;
  origin: Task;
  config: RepoConfig;
  key: CiFixKey;
  record: CiFixRecord;
  /** The failing runs that are this pull request's (not failing on the base branch). */
  failing: CheckRunInfo[];
  checks: CiFixCheck[];
  ownLogin: string;
}

async function decide(ctx: CiFixContext, d: Deciding): Promise<void> {
  const store = ctx.deps.store.ciFixes;
  const mode = d.config.ci_fix === "auto" ? "auto" : "ask";
  if (d.record.decision !== "started") {
    const automatic = mode === "auto" && d.failing.length > 0;
    const commits = automatic ? await ctx.gh.pullRequestCommits(d.key, d.key.pullRequestNumber) : [];
    const busy = automatic && (await ctx.deps.store.findActive(d.key.owner, d.key.repo, d.key.pullRequestNumber)) !== null;
    const plan = decideCiFix({ mode, checks: d.checks, humanPush: automatic ? humanPushAfterOwn(commits, d.ownLogin) : null, busy });
    if (plan.kind === "skip") return void (await store.update(d.key, { decision: "skipped", reason: plan.reason, detail: plan.detail }));
    if (plan.kind === "suggest") return void (await store.update(d.key, { decision: "suggested" }));
    if (!(await store.claimAttempt(d.key, d.config.max_ci_fix_attempts))) return void (await store.update(d.key, { decision: "skipped", reason: "limit" }));
  }
  const started = await startCiFix(ctx, {
    origin: d.origin,
    pullRequestNumber: d.key.pullRequestNumber,
    headSha: d.key.headSha,
    failing: d.failing,
    automatic: true,
    requestedBy: d.origin.requestedBy,
    config: d.config,
    triggerCommentId: null,
    triggerCreatedAt: d.event.completedAt,
  });
  if (started.kind === "busy") await store.update(d.key, { decision: "skipped", reason: "busy" });
  else await store.update(d.key, { taskId: started.task.id });
}

/**
 * The verdict on earlier fixes whose commit is this head: failed when a
 * check fails on it, passed once every check (OpenJules's own aside) has
 * completed without failing. A fix whose commit was not recorded (its run's
 * end and these checks raced) is taken to be this head when its follow-up is done.
 */
async function settleVerdicts(
  deps: TaskDeps,
  awaiting: readonly CiFixRecord[],
  headSha: string,
  runs: readonly CheckRunInfo[],
  failing: readonly CheckRunInfo[],
  ownSlug: string,
): Promise<boolean> {
  const others = runs.filter((r) => !isOwnCheck(r, ownSlug));
  const verdict = failing.length > 0 ? "failed" : others.length > 0 && others.every((r) => r.status === "completed") ? "passed" : null;
  if (verdict === null) return false;
  let changed = false;
  for (const record of awaiting) {
    const head = headSha.toLowerCase();
    if (record.headSha === head) continue;
    const task = record.fixSha === null ? await deps.store.get(record.taskId!) : null;
    const fix = record.fixSha ?? (task?.state === "done" ? head : null);
    if (fix !== head) continue;
    await deps.store.ciFixes.update(record, { fixSha: fix, verdict });
    changed = true;
  }
  return changed;
}
