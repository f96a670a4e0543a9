import type { CostEstimate } from "../agent/port.ts";
import { autoApproval } from "../config/approval.ts";
import { planAsAnswer, renderAnswer } from "../render/answer.ts";
import { parsePlanMarker, renderPlan } from "../render/plan.ts";
import { planHash } from "../domain/plan-hash.ts";
import { approvePlan } from "./approve-plan.ts";
import type { TaskDeps } from "./deps.ts";
import { failTask } from "./fail-task.ts";
import type { Plan, Task, ThreadSnapshot } from "../domain/model.ts";
import { addUsage, taskProgress } from "./progress.ts";
import { inWorkspace } from "./in-workspace.ts";
import { withOwnKey } from "./own-key.ts";
import { threadSnapshot } from "./thread-context.ts";
import { endRun, type RunEvents, withRunEvents } from "./task-events.ts";
import type { PlanningContext } from "./planning-context.ts";
import { checkoutOf, pullRequestAsked } from "./ask-context.ts";

/**
 * The `plan` job: 1. enter planning  2. take a snapshot of the thread and check
 * out the repository (in-workspace.ts)  3. let the agent explore and plan
 * 4. post the plan (or an answer) and store it with the snapshot it was made
 * from, under one hash  5. wait for approval, or approve at once under
 * `approval: auto` (unless the four-eyes rule is on: config/approval.ts). A revision (`/revise`, asked by a writer) takes a new
 * snapshot of the current thread, by the same rules (writers' comments before
 * the trigger only): the new plan and its own snapshot then need their own
 * approval. The run writes the task's event log (task-events.ts): the
 * agent's tool calls and activity, the plan, the usage.
 *
 * A question (task kind `ask`, `/jules ask`) runs the same job and always
 * ends answered: the agent gets only the read-only tools and `answer` (on a
 * pull request, its diff, with its head checked out: ask-context.ts), and a
 * plan it returns anyway (an agent that ignores its tools) is posted as the
 * answer, never as a plan to approve. The state machine refuses a question
 * every other way on (domain/state-machine.ts).
 */
export async function runPlanning(deps: TaskDeps, taskId: string, ctx: PlanningContext): Promise<void> {
  // A task on its requester's own provider key plans with it (own-key.ts).
  await runPlanningWith(await withOwnKey(deps, taskId), taskId, ctx);
}

async function runPlanningWith(deps: TaskDeps, taskId: string, ctx: PlanningContext): Promise<void> {
  const task = await enterPlanning(deps, taskId);
  if (!task) return;
  if (!deps.agent) {
    await failTask(deps, task.id, {
      phase: "planning",
      reason: "No LLM provider is configured for this OpenJules installation, so it cannot write a plan.",
      hint: "Ask the operator to set JULES_PROVIDER, JULES_MODEL and the provider's API key, restart OpenJules, then comment again.",
    });
    return;
  }
  const agent = deps.agent;
  const snapshot = () => threadSnapshot(ctx.gh, task, task.createdAt, ctx.ownLogin);
  const { deps: run, events } = withRunEvents(deps, task.id);
  try {
    const pullRequest = await pullRequestAsked(ctx.gh, task);
    await inWorkspace(run, checkoutOf(task, pullRequest), ctx, "planning", snapshot, async ({ thread, workspace, signal }) => {
      const outcome = await agent.plan({
        task,
        thread,
        config: ctx.config,
        workdir: workspace.dir,
        previousPlan: task.state === "revising" ? task.plan : null,
        feedback: task.revisionFeedback,
        pullRequest,
        progress: taskProgress(run, task.id, task.usage, events),
        events,
        signal,
      });
      if (signal.aborted) return;
      const usage = addUsage(task.usage, outcome.usage);
      if (outcome.kind === "answer") await answer(run, events, task, ctx, outcome.answer, usage);
      else if (task.kind === "ask") await answer(run, events, task, ctx, planAsAnswer(outcome.plan), usage);
      else await publishPlan(run, events, task, ctx, { plan: outcome.plan, context: thread, usage, cost: outcome.cost });
    });
  } finally {
    await endRun(deps, task.id, events);
  }
}

async function enterPlanning(deps: TaskDeps, taskId: string): Promise<Task | null> {
  const task = await deps.store.get(taskId);
  if (!task) return null;
  if (task.state === "planning" || task.state === "revising") return task; // resumed after a restart
  if (task.state !== "queued") return null; // cancelled meanwhile, or already planned
  const planning = await deps.store.transition(taskId, { from: "queued", to: "planning", actor: "openjules", reason: "planning started" });
  if (planning) await deps.status.refresh(planning);
  return planning;
}

interface Planned {
  plan: Plan;
  context: ThreadSnapshot;
  usage: Task["usage"];
  cost?: CostEstimate | undefined;
}

async function publishPlan(deps: TaskDeps, events: RunEvents, task: Task, ctx: PlanningContext, { plan, context, usage, cost }: Planned) {
  const hash = planHash(plan, context);
  const version = task.planVersion + 1;
  const body = renderPlan({ task, plan, hash, version, command: ctx.config.command, approvers: ctx.config.approvers, approval: ctx.config.approval, cost });
  // The plan comment as GitHub numbered and stamped it: what orders approvals (approval-order.ts).
  // A task without an issue has no plan comment: it is read and approved through the API, CLI, MCP or web app.
  const issueNumber = task.issueNumber;
  const posted =
    issueNumber === null ? null : ((ctx.attempt > 1 ? await findPostedPlan(ctx, task, issueNumber, version) : null) ?? (await ctx.gh.comment(task, issueNumber, body)));
  events.emit({ type: "plan", version, summary: plan.summary, steps: plan.steps.length, costEstimateUsd: cost?.estimateUsd ?? null });
  if (usage) events.emit({ type: "usage", usage });
  const waiting = await deps.store.transition(task.id, {
    from: ["planning", "revising"],
    to: "awaiting_approval",
    actor: "openjules",
    reason: `plan v${version} posted`,
    patch: {
      plan,
      planHash: hash,
      planContext: context,
      planVersion: version,
      planCommentId: posted?.id ?? null,
      planCommentCreatedAt: posted?.createdAt ?? null,
      revisionFeedback: null,
      costEstimateUsd: cost?.estimateUsd ?? null,
      usage,
      activity: null,
    },
  });
  if (!waiting) return;
  await deps.status.refresh(waiting);
  if (autoApproval(ctx.config).applies) await approvePlan(deps, { task: waiting, approval: { kind: "auto" }, config: ctx.config });
}

/** After a crash between posting and recording, find the plan comment already posted for this version. */
async function findPostedPlan(ctx: PlanningContext, task: Task, issueNumber: number, version: number): Promise<{ id: number; createdAt: string } | null> {
  const comments = await ctx.gh.listComments(task, issueNumber);
  // Only the app's own comments count: anyone could paste a marker line.
  const mine = comments.find((c) => {
    if (ctx.ownLogin ? c.author !== ctx.ownLogin : c.authorType !== "Bot") return false;
    const marker = parsePlanMarker(c.body);
    return marker !== null && marker.task === task.id && marker.version === version;
  });
  return mine ? { id: mine.id, createdAt: mine.createdAt } : null;
}

async function answer(deps: TaskDeps, events: RunEvents, task: Task, ctx: PlanningContext, text: string, usage: Task["usage"]) {
  const posted = task.issueNumber === null ? null : await ctx.gh.comment(task, task.issueNumber, renderAnswer({ task, answer: text, command: ctx.config.command, usage }));
  if (usage) events.emit({ type: "usage", usage });
  const done = await deps.store.transition(task.id, {
    from: ["planning", "revising"],
    to: "done",
    actor: "openjules",
    reason: "answered without a code change",
    // The answer takes the plan's place, and so its comment id: the status comment links it.
    patch: { answer: text, planCommentId: posted?.id ?? null, usage, activity: null },
  });
  if (done) await deps.status.refresh(done);
}
