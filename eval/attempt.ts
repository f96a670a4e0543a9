import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { Task, TaskState } from "../src/domain/model.ts";
import type { SandboxRunner } from "../src/sandbox/index.ts";
import { issueComment } from "../test/helpers/payloads.ts";
import { gradeWorkingCopy } from "./grade.ts";
import type { Instance } from "./instance.ts";
import type { LocalGitHub } from "./local-github.ts";
import type { ModelSpec } from "./models.ts";
import { emptyResult, type AttemptResult } from "./report.ts";
import { cloneBranch, publishTask, referenceFiles } from "./repos.ts";
import type { ScriptedModels } from "./scripted.ts";
import type { EvalTask } from "./task.ts";

/**
 * One attempt at one task, by one model and agent, through the whole
 * pipeline: the task's repository is published on the local git server,
 * its jules.yml (`approval: auto`, the agent, setup and test commands) and
 * issue on the GitHub stand-in; a writer comments `/jules` on the issue (a
 * real webhook payload into the real Probot app); OpenJules plans, approves
 * itself, works, runs the tests in the sandbox and delivers a branch and a
 * pull request. Then the delivered branch is cloned and graded with the
 * hidden tests (grade.ts). Wall time runs from the comment to the task's
 * last state; turns, tokens and cost are the task's own usage.
 */

export const OWNER = "eval";
const ENDED: readonly TaskState[] = ["done", "failed", "cancelled", "paused"];
/** Under `approval: auto` a task passes through awaiting_approval on its way; one still there after this is stuck. */
const STUCK_AWAITING_MS = 30_000;

export interface AttemptContext {
  instance: Instance;
  local: LocalGitHub;
  scripted: ScriptedModels | null;
  grader: SandboxRunner;
  workDir: string;
}

export interface AttemptSpec {
  task: EvalTask;
  model: ModelSpec;
  agent: string;
  /** 1-based, for `--repeat`. */
  run: number;
  /** Unique in this eval: the repository's name. */
  repo: string;
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");

export function attemptRepo(task: EvalTask, model: ModelSpec, agent: string, run: number): string {
  return slug(`${task.name}-${model.label}-${agent}-${run}`).slice(0, 100);
}

function julesYml(task: EvalTask, agent: string): Record<string, unknown> {
  return {
    approval: "auto",
    agent,
    test: task.test,
    // A task without setup says so (`true`, which does nothing): otherwise OpenJules would detect one (a virtualenv with pytest, npm ci…).
    setup: task.setup ?? "true",
    setup_network: task.setup ? "public" : "none",
  };
}

async function waitForEnd(instance: Instance, repo: string, deadline: number): Promise<Task | null> {
  let awaitingSince: number | null = null;
  for (;;) {
    const task = await instance.jules.store.findLatest(OWNER, repo, 1);
    if (task && ENDED.includes(task.state)) return task;
    awaitingSince = task?.state === "awaiting_approval" ? (awaitingSince ?? Date.now()) : null;
    if (Date.now() > deadline || (awaitingSince !== null && Date.now() - awaitingSince > STUCK_AWAITING_MS)) return task;
    await sleep(100);
  }
}

export async function runAttempt(ctx: AttemptContext, spec: AttemptSpec): Promise<AttemptResult> {
  const { task, model, agent, run, repo } = spec;
  const base = emptyResult(task, model.label, agent, run);
  const bare = ctx.local.git.repoPath(OWNER, repo);
  const sha = await publishTask(task, bare);
  const cloneUrl = ctx.local.git.repoUrl(OWNER, repo);
  if (ctx.scripted) {
    const files = task.reference ? await referenceFiles(task.reference, bare, sha) : [];
    ctx.scripted.expect({ repository: `${OWNER}/${repo}`, files, verification: task.test });
  }
  ctx.local.register(OWNER, repo, julesYml(task, agent), task.issue);

  const payload = issueComment({ body: "/jules", issueNumber: 1 });
  Object.assign(payload.repository, {
    name: repo,
    full_name: `${OWNER}/${repo}`,
    owner: { ...payload.repository.owner, login: OWNER },
    clone_url: cloneUrl,
    default_branch: "main",
  });
  Object.assign(payload.issue, { title: task.issue.title, body: task.issue.body });
  const caps = ctx.instance.settings.agent.caps;
  const deadline = Date.now() + (2 * caps.maxMinutes + 3 * (ctx.instance.settings.sandbox.commandTimeoutMs / 60_000) + 5) * 60_000;
  const started = performance.now();
  await ctx.instance.jules.probot.receive({ id: `eval-${repo}`, name: "issue_comment", payload } as never);
  const ended = await waitForEnd(ctx.instance, repo, deadline);
  const wallMs = Math.round(performance.now() - started);
  const usage = ended?.usage;
  const pull = ctx.local.github.pulls.find((p) => p.owner === OWNER && p.repo === repo);
  const check = ctx.local.github.requests.findLast((r) => r.method === "POST" && r.path === `/repos/${OWNER}/${repo}/check-runs`)?.body as { conclusion?: string } | undefined;
  const result: AttemptResult = {
    ...base,
    state: ended?.state ?? null,
    turns: usage?.calls ?? 0,
    tokensIn: usage?.inputTokens ?? 0,
    tokensOut: usage?.outputTokens ?? 0,
    costUsd: usage?.costUsd ?? 0,
    wallMs,
    pullRequest: pull ? { number: pull.number, draft: pull.draft } : null,
    ownTests: !check ? null : check.conclusion === "success" ? "passed" : check.conclusion === "failure" ? "failed" : "not run",
  };
  if (ended?.state === "awaiting_approval") return { ...result, note: "the plan waited for approval: `approval: auto` did not apply" };
  if (!ended || !ENDED.includes(ended.state)) return { ...result, note: `the task did not finish in time (last state: ${ended?.state ?? "never created"})` };
  if (ended.state !== "done" || !ended.branch) {
    const why = ended.failure ? `${ended.failure.phase}: ${ended.failure.reason}` : ended.state === "done" ? "no branch was delivered" : `the task ended ${ended.state}`;
    return { ...result, note: why };
  }
  const dir = await cloneBranch(cloneUrl, ended.branch, ctx.local.token, ctx.workDir);
  try {
    const grade = await gradeWorkingCopy(ctx.grader, task, dir, { timeoutMs: ctx.instance.settings.sandbox.commandTimeoutMs, homeParent: ctx.workDir });
    const unscriptable = ctx.scripted && model.scripted && !task.reference ? " (the task has no reference solution for the scripted model to make)" : "";
    return { ...result, solved: grade.solved, note: grade.problem ?? (grade.solved ? null : `hidden tests failed (exit ${grade.exitCode})${unscriptable}`) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
