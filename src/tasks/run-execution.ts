import type { PlanningContext } from "./run-planning.ts";
import type { TaskDeps } from "./deps.ts";
import { failTask } from "./fail-task.ts";
import { userFacingFailure } from "./user-facing.ts";
import type { Task } from "./model.ts";
import { addUsage, taskProgress } from "./progress.ts";
import { threadContext } from "./thread-context.ts";
import { watchTask } from "./watch-cancel.ts";

/**
 * The `execute` job: 1. enter working  2. check out the repository  3. let
 * the agent carry out the approved plan (it reports when it tests)  4. record
 * the outcome. Only the plan that was approved is executed.
 */
export async function runExecution(deps: TaskDeps, taskId: string, ctx: PlanningContext): Promise<void> {
  const task = await enterWorking(deps, taskId);
  if (!task) return;
  if (!deps.agent || !task.plan) {
    await failTask(deps, task.id, {
      phase: "working",
      reason: deps.agent ? "The approved plan is missing from the task record." : "No LLM provider is configured for this OpenJules installation.",
      hint: deps.agent ? "Start a new task." : "Ask the operator to set JULES_PROVIDER, JULES_MODEL and the provider's API key, then start a new task.",
    });
    return;
  }
  const watch = watchTask(deps.store, task.id, ctx.signal);
  const progress = taskProgress(deps, task.id, task.usage);
  try {
    const thread = await threadContext(ctx.gh, task, task.createdAt, ctx.ownLogin);
    const checkout = await deps.workspaces.checkout(task, { token: () => ctx.gh.token() });
    let outcome;
    try {
      outcome = await deps.agent.execute({
        task,
        plan: task.plan,
        thread,
        config: ctx.config,
        workdir: checkout.dir,
        feedback: null,
        signal: watch.signal,
        progress: { ...progress, phase: (phase) => void movePhase(deps, task.id, phase) },
      });
    } finally {
      await checkout.dispose();
    }
    if (watch.signal.aborted) return;
    await movePhase(deps, task.id, "testing");
    const done = await deps.store.transition(task.id, {
      from: ["working", "testing"],
      to: "done",
      actor: "openjules",
      reason: outcome.tests.passed === false ? "finished with failing tests" : "finished",
      patch: { usage: addUsage(task.usage, outcome.usage), activity: outcome.summary.slice(0, 300) },
    });
    if (done) await deps.status.refresh(done);
  } catch (error) {
    if (watch.signal.aborted && !ctx.signal.aborted) return;
    const failure = userFacingFailure(error, "working");
    if (!failure) throw error;
    await failTask(deps, task.id, failure);
  } finally {
    watch.stop();
  }
}

async function enterWorking(deps: TaskDeps, taskId: string): Promise<Task | null> {
  const task = await deps.store.get(taskId);
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
