import { type ExecuteOutcome, isPaused, type PausedOutcome } from "../agent/port.ts";
import { type CheckpointResult, checkpoint } from "../delivery/checkpoint.ts";
import type { DeliveryResult } from "../delivery/port.ts";
import { commandWord } from "../render/escape.ts";
import { issueEditedAfterPlan } from "../render/replies.ts";
import { taskPageUrl } from "../render/links.ts";
import type { TaskDeps } from "./deps.ts";
import { failTask } from "./fail-task.ts";
import { inWorkspace } from "./in-workspace.ts";
import { withOwnKey } from "./own-key.ts";
import type { Failure, Plan, Task, ThreadSnapshot } from "../domain/model.ts";
import { planHash } from "../domain/plan-hash.ts";
import { pauseRequest, recordPause, resumePoint } from "./pause.ts";
import { addUsage, taskProgress } from "./progress.ts";
import type { PlanningContext } from "./planning-context.ts";
import { resumeFollowUp } from "./start-follow-up.ts";
import { followUpFeedback } from "./ci-fix/plan.ts";
import { replyOnReviewThreads } from "./review-replies.ts";
import { isTerminal } from "../domain/state-machine.ts";
import { issueEditedSince } from "./thread-context.ts";
import { redactSecrets } from "../security/redact.ts";
import { endRun, type RunEvents, withRunEvents } from "./task-events.ts";

/**
 * The `execute` job: 1. enter working  2. check out the repository (on the
 * task's branch for a follow-up or a retry)  3. let the agent carry out the
 * approved plan, running the tests in the sandbox (it reports when it tests);
 * on a budget or a pause request it pauses instead, and its work is kept as
 * a WIP checkpoint on the task's branch (keepPausedWork; a resumed task is
 * checked out on that branch and the agent goes on from task.pause)
 * 4. deliver: commit, check, push, pull request (delivery/deliver.ts)
 * 5. record the outcome. Only the plan that was approved is executed, with
 * the thread snapshot it was made from (never a new fetch of the thread): the
 * two are checked against the approved hash first. When the issue was edited
 * since the plan was written, the thread is told, and the work goes on from
 * the approved text. The run writes the task's event log (task-events.ts):
 * the agent's tool calls and activity, every command with its output and
 * exit code, the pull request, the usage.
 */
export async function runExecution(deps: TaskDeps, taskId: string, ctx: PlanningContext): Promise<void> {
  // A task on its requester's own provider key runs on it, and the key is one more secret of the run (own-key.ts).
  await runExecutionWith(await withOwnKey(deps, taskId), taskId, ctx);
}

async function runExecutionWith(deps: TaskDeps, taskId: string, ctx: PlanningContext): Promise<void> {
  const task = await enterWorking(deps, taskId, ctx);
  if (!task) return;
  const agent = deps.agent;
  const plan = task.plan;
  if (!agent || !plan) {
    await failTask(deps, task.id, {
      phase: "working",
      reason: agent ? "The approved plan is missing from the task record." : "No LLM provider is configured for this OpenJules installation.",
      hint: agent ? "Start a new task." : "Ask the operator to set JULES_PROVIDER, JULES_MODEL and the provider's API key, then start a new task.",
    });
    return;
  }
  const context = approvedContext(task, plan, ctx.config.command);
  if (!context.ok) {
    await failTask(deps, task.id, context.failure);
    return;
  }
  const snapshot = context.snapshot;
  await tellIfIssueEdited(deps, task, ctx, snapshot);
  const { deps: run, events } = withRunEvents(deps, task.id);
  try {
    await execute(run, events, { task, plan, snapshot, ctx, agent });
  } finally {
    await endRun(deps, task.id, events);
  }
}

interface Execution {
  task: Task;
  plan: Plan;
  snapshot: ThreadSnapshot;
  ctx: PlanningContext;
  agent: NonNullable<TaskDeps["agent"]>;
}

async function execute(deps: TaskDeps, events: RunEvents, { task, plan, snapshot, ctx, agent }: Execution): Promise<void> {
  const progress = taskProgress(deps, task.id, task.usage, events);
  await inWorkspace(
    deps,
    task,
    ctx,
    "working",
    async () => snapshot,
    async ({ thread, workspace, signal }) => {
      const outcome = await agent.execute({
        task,
        plan,
        thread,
        config: ctx.config,
        workdir: workspace.dir,
        home: workspace.homeDir,
        changes: workspace.changes,
        feedback: task.kind === "follow_up" ? followUpFeedback(task) : null,
        messages: () => deps.store.takeMessages(task.id),
        pauseRequested: async () => {
          const current = await deps.store.get(task.id);
          return current ? pauseRequest(current) : null;
        },
        resume: resumePoint(task),
        signal,
        progress: { ...progress, phase: (phase) => void movePhase(deps, task.id, phase) },
        events,
      });
      if (signal.aborted) return;
      const base = { ...(await deliveryBase(deps, task, ctx)), plan, workspace };
      if (isPaused(outcome)) {
        events.emit({ type: "usage", usage: addUsage(task.usage, outcome.usage) });
        await keepPausedWork(deps, task, outcome, await checkpoint({ ...base, reason: outcome.reason }));
        return;
      }
      await movePhase(deps, task.id, "testing");
      const result = await deps.deliver({ ...base, outcome, usage: addUsage(task.usage, outcome.usage) });
      await record(deps, events, task, outcome, result, ctx.config.command);
      await replyOnReviewThreads(deps, ctx.gh, task, result);
    },
  );
}

/** What delivery and the checkpoint are both given, with the task as it is now. */
async function deliveryBase(deps: TaskDeps, task: Task, ctx: PlanningContext) {
  return {
    task: (await deps.store.get(task.id)) ?? task,
    config: ctx.config,
    gh: ctx.gh,
    bot: await deps.identity(task.installationId),
    secrets: deps.secrets,
    webBase: deps.webBase,
    taskPage: taskPageUrl(deps.publicUrl, task),
    log: deps.log.child({ taskId: task.id }),
    recordBranch: async (branch: string) => void (await deps.store.update(task.id, { branch })),
  };
}

/**
 * A paused run (a budget, or a person's pause): its work was committed as a
 * WIP checkpoint and pushed (delivery/checkpoint.ts, no pull request), and
 * the task moves working|testing -> paused with it in one transition. A
 * change the checks refuse (denied paths, a secret) is never pushed, and
 * the task fails with why, since a resume could not deliver it either.
 */
async function keepPausedWork(deps: TaskDeps, task: Task, outcome: PausedOutcome, saved: CheckpointResult): Promise<void> {
  const usage = addUsage(task.usage, outcome.usage);
  if (saved.kind === "blocked") {
    await deps.store.update(task.id, { usage });
    await failTask(deps, task.id, { phase: "pause", reason: `The task stopped (it ${outcome.reason}), but its work could not be kept. ${saved.reason}`, hint: saved.hint });
    return;
  }
  await recordPause(deps, task, outcome, saved.kind === "nothing" ? null : saved.sha, usage);
}

/** The stored snapshot, when it and the plan are what the approval was given for. */
function approvedContext(task: Task, plan: Plan, command: string): { ok: true; snapshot: ThreadSnapshot } | { ok: false; failure: Failure } {
  const snapshot = task.planContext;
  if (snapshot && task.approvedPlanHash !== null && planHash(plan, snapshot) === task.approvedPlanHash) return { ok: true, snapshot };
  const again = task.kind === "follow_up" ? "comment on the pull request again" : `start a new task with \`/${commandWord(command)}\``;
  const hint = `Nothing was changed: ${again} to work from the thread as it is now.`;
  if (!snapshot) {
    return {
      ok: false,
      failure: { phase: "working", reason: "This task's plan was approved without a record of the issue text it was made from (it was approved by an older OpenJules).", hint },
    };
  }
  return { ok: false, failure: { phase: "working", reason: "The plan or the issue text it was made from changed after it was approved.", hint } };
}

/**
 * The issue's author need not have write access, so an edit after the plan
 * was written is never used; the thread hears about it, once (the job's first
 * attempt). The check is advisory: if GitHub cannot be asked, the work goes on.
 */
async function tellIfIssueEdited(deps: TaskDeps, task: Task, ctx: PlanningContext, snapshot: ThreadSnapshot): Promise<void> {
  const issueNumber = task.issueNumber;
  if (task.kind !== "issue" || issueNumber === null || ctx.attempt > 1) return;
  try {
    if (!(await issueEditedSince(ctx.gh, task, snapshot))) return;
    await ctx.gh.comment(task, issueNumber, issueEditedAfterPlan({ task, command: ctx.config.command }));
  } catch (err) {
    deps.log.warn({ err, taskId: task.id }, "could not check whether the issue was edited after the plan was written");
  }
}

async function enterWorking(deps: TaskDeps, taskId: string, ctx: PlanningContext): Promise<Task | null> {
  const found = await deps.store.get(taskId);
  if (!found) return null;
  // A follow-up the process left before its approval was recorded (reconcile.ts): finish starting it.
  const task = found.kind === "follow_up" && !isTerminal(found.state) && found.approvedPlanHash === null ? await resumeFollowUp(deps, found, ctx.gh, ctx.ownLogin) : found;
  if (!task) return null;
  if (task.state === "working" || task.state === "testing") return task; // resumed after a restart
  if (task.state !== "approved") return null;
  const working = await deps.store.transition(taskId, { from: "approved", to: "working", actor: "openjules", reason: `executing plan ${task.approvedPlanHash ?? ""}`.trim() });
  if (working) await deps.status.refresh(working);
  return working;
}

/** working ⇄ testing as the agent reports it; a move that no longer applies is ignored. */
async function movePhase(deps: TaskDeps, taskId: string, phase: "working" | "testing"): Promise<void> {
  const from = phase === "testing" ? "working" : "testing";
  const moved = await deps.store.transition(taskId, { from, to: phase, actor: "openjules", reason: phase === "testing" ? "running tests" : "fixing after tests" });
  if (moved) await deps.status.refresh(moved);
}

/** The delivery's result becomes the task's end: done with links, or failed with what to do. */
async function record(deps: TaskDeps, events: RunEvents, task: Task, outcome: ExecuteOutcome, result: DeliveryResult, command: string): Promise<void> {
  const usage = addUsage(task.usage, outcome.usage);
  if (result.kind === "pull_request" || result.kind === "branch_only") {
    const failing = outcome.tests.passed === false;
    const patch = result.kind === "pull_request" ? { branch: result.branch, pullRequestNumber: result.number, pullRequestUrl: result.url } : { branch: result.branch };
    if (result.kind === "pull_request") events.emit({ type: "pull_request", number: result.number, url: result.url });
    // The model's summary: redacted before it is cut, so no part of a secret is left to show.
    const activity = redactSecrets(outcome.summary, deps.secrets).slice(0, 300);
    events.emit({ type: "activity", line: activity });
    events.emit({ type: "usage", usage });
    const done = await deps.store.transition(task.id, {
      from: ["working", "testing"],
      to: "done",
      actor: "openjules",
      reason: result.kind === "pull_request" ? `pull request #${result.number}${failing ? " (tests failing)" : ""}` : "branch pushed, tests failing",
      patch: { ...patch, usage, activity },
    });
    if (done) await deps.status.refresh(done, failing ? failingNotice(result, command) : environmentNotice(outcome));
    return;
  }
  events.emit({ type: "usage", usage });
  await deps.store.update(task.id, { usage });
  await failTask(deps, task.id, failureOf(result, outcome, deps.secrets));
}

/** Tests that could not run for a reason of the environment: no code change fixes that, so the person hears what to provide. */
function environmentNotice(outcome: ExecuteOutcome): string | undefined {
  const env = outcome.tests.environment;
  return env ? `The tests could not run, so the pull request is not marked as failing: ${env.problem} ${env.hint}` : undefined;
}

function failingNotice(result: Extract<DeliveryResult, { kind: "pull_request" | "branch_only" }>, command: string): string {
  return result.kind === "pull_request"
    ? `The tests still fail: the pull request is a draft marked as failing. Review it, or comment \`/${commandWord(command)} <what to fix>\` on it.`
    : "The tests still fail, so only the branch was pushed (`on_test_failure: branch_only`).";
}

/** What the person reads; the model's summary is redacted before it is cut (failTask redacts the whole again). */
function failureOf(result: Exclude<DeliveryResult, { kind: "pull_request" | "branch_only" }>, outcome: ExecuteOutcome, secrets: readonly string[]): Failure {
  switch (result.kind) {
    case "no_changes":
      return {
        phase: "working",
        reason: `The agent finished without changing any file: ${redactSecrets(outcome.summary, secrets).slice(0, 300)}`,
        hint: "Start a new task with a more specific instruction.",
      };
    case "blocked":
      return { phase: "pull request", reason: result.reason, hint: result.hint };
    case "aborted_tests_failed":
      return {
        phase: "testing",
        reason: result.reason,
        hint: "Nothing was pushed (`on_test_failure: abort`). Start a new task, or change `on_test_failure` in .github/jules.yml.",
      };
  }
}
