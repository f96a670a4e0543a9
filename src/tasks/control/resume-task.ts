import { effectiveBudget } from "../../agent/budget.ts";
import type { RepoConfig } from "../../config/repo-config.ts";
import { actorName, type Caller } from "../../domain/actor.ts";
import type { ExtraBudget, Task } from "../../domain/model.ts";
import { enqueueTaskJob } from "../task-jobs.ts";
import { taskFor } from "./access.ts";
import type { UseCaseDeps } from "../deps.ts";
import type { ControlDeps } from "./deps.ts";
import { addBudgets, budgetWords, parseExtraBudget } from "./extra-budget.ts";
import type { Result } from "./port.ts";
import { repoSettings } from "./repo-settings.ts";
import { fail, ok } from "./result.ts";

/**
 * A paused task goes on from its checkpoint: paused → approved, and the
 * execute job of this pause is enqueued (one per pause). `extra` adds budget
 * ("$2", "20 turns", "30 minutes", "100k tokens") on top of the repository's
 * and of earlier resumes; the sum may not pass the operator's caps
 * (JULES_MAX_*), and a request that would is refused naming the cap.
 */
export async function resumeTask(deps: UseCaseDeps & Pick<ControlDeps, "caps">, caller: Caller, id: string, input: { extra?: string; config?: RepoConfig }): Promise<Result<Task>> {
  const parsed = parseExtraBudget(input.extra ?? "");
  if (!parsed.ok) return fail("invalid", "Budget not understood", parsed.message);
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  const task = found.value;
  if (task.state !== "paused" || !task.pause || !task.approvedPlanHash) {
    return fail("conflict", "Task not paused", `Task ${id} is ${task.state}; only a paused task can be resumed.`);
  }
  const config = input.config ? ok(input.config) : await repoSettings(deps, task);
  if (!config.ok) return config;
  const extra = addBudgets(task.extraBudget, parsed.extra);
  const over = beyondCap(deps, effectiveBudget(config.value.budgets, deps.caps), extra);
  if (over) return fail("invalid", "Beyond the operator's cap", over);
  const added = budgetWords(parsed.extra);
  // The pause is kept as the record of the last one, and marked answered so it never reads as a new request.
  const pause = { ...task.pause, summary: task.pause.summary ?? "" };
  const approved = await deps.store.transition(id, {
    from: "paused",
    to: "approved",
    actor: actorName(caller.principal),
    face: caller.face,
    reason: added ? `resumed with ${added} more` : "resumed",
    patch: { extraBudget: extra, pause },
  });
  if (!approved) return fail("conflict", "Task not paused", `Task ${id} changed state before it could be resumed; look at it again.`);
  await enqueueTaskJob(deps.queue, approved, { resume: task.approvedPlanHash, pausedAt: pause.at });
  await deps.status.refresh(approved, added ? `Resumed with ${added} more budget.` : "Resumed.");
  return ok(approved);
}

type Budget = ReturnType<typeof effectiveBudget>;

/** Why the repository's budget plus `extra` passes an operator cap, or null. */
function beyondCap(deps: Pick<ControlDeps, "caps">, base: Budget, extra: ExtraBudget): string | null {
  const caps = deps.caps;
  const checks: [number, number, string, (n: number) => string][] = [
    [base.maxCostUsd + extra.costUsd, caps.maxCostUsd, "JULES_MAX_COST_USD", (n) => `$${n.toFixed(2)}`],
    [base.maxTurns + extra.turns, caps.maxTurns, "JULES_MAX_TURNS", (n) => `${n} turns`],
    [base.maxTokens + extra.tokens, caps.maxTokens, "JULES_MAX_TOKENS", (n) => `${n.toLocaleString("en-US")} tokens`],
    [base.maxWallMs / 60_000 + extra.minutes, caps.maxMinutes, "JULES_MAX_MINUTES", (n) => `${n} minutes`],
  ];
  for (const [total, cap, name, words] of checks) {
    if (total > cap + 1e-9) {
      return `With this, the task's budget would be ${words(total)}, more than the operator's cap of ${words(cap)} (${name}); ask for less, or ask the operator to raise ${name}.`;
    }
  }
  return null;
}
