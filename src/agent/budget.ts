import type { RepoConfig } from "../config/repo-config.ts";
import type { Settings } from "../settings.ts";
import type { ExtraBudget, Usage } from "../domain/model.ts";
import { AgentError } from "./port.ts";

/**
 * Budgets of a task: each is the repository's value from jules.yml capped by
 * the operator's limit of the same name. Turns and wall time count per phase
 * (planning, execution); tokens and cost count for the whole task. The loop
 * asks `exceeded` before every model call and stops with `budgetError`, which
 * names the budget and how to raise it.
 */

export interface Budget {
  maxTurns: number;
  maxTokens: number;
  maxCostUsd: number;
  maxWallMs: number;
}

export type BudgetName = "turns" | "tokens" | "cost" | "time";

export function effectiveBudget(repo: RepoConfig["budgets"], caps: Settings["agent"]["caps"]): Budget {
  const capped = (value: number | undefined, cap: number) => (value === undefined ? cap : Math.min(value, cap));
  return {
    maxTurns: capped(repo.max_turns, caps.maxTurns),
    maxTokens: capped(repo.max_tokens, caps.maxTokens),
    maxCostUsd: capped(repo.max_cost_usd, caps.maxCostUsd),
    maxWallMs: capped(repo.max_minutes, caps.maxMinutes) * 60_000,
  };
}

/**
 * The budget of a resumed task: the repository's budget plus what resumes
 * added (task.extraBudget), each still capped by the operator's limit.
 */
export function extendBudget(budget: Budget, extra: ExtraBudget | null, caps: Settings["agent"]["caps"]): Budget {
  if (!extra) return budget;
  return {
    maxTurns: Math.min(budget.maxTurns + extra.turns, caps.maxTurns),
    maxTokens: Math.min(budget.maxTokens + extra.tokens, caps.maxTokens),
    maxCostUsd: Math.min(budget.maxCostUsd + extra.costUsd, caps.maxCostUsd),
    maxWallMs: Math.min(budget.maxWallMs + extra.minutes * 60_000, caps.maxMinutes * 60_000),
  };
}

export function exceeded(budget: Budget, state: { turns: number; usage: Usage; elapsedMs: number }): BudgetName | null {
  if (state.turns >= budget.maxTurns) return "turns";
  if (state.usage.inputTokens + state.usage.outputTokens >= budget.maxTokens) return "tokens";
  if (state.usage.costUsd >= budget.maxCostUsd) return "cost";
  if (state.elapsedMs >= budget.maxWallMs) return "time";
  return null;
}

const DESCRIBE: Record<BudgetName, (b: Budget) => { what: string; key: string; cap: string }> = {
  turns: (b) => ({ what: `its limit of ${b.maxTurns} model turns`, key: "max_turns", cap: "JULES_MAX_TURNS" }),
  tokens: (b) => ({ what: `its budget of ${b.maxTokens.toLocaleString("en-US")} tokens`, key: "max_tokens", cap: "JULES_MAX_TOKENS" }),
  cost: (b) => ({ what: `its budget of $${b.maxCostUsd.toFixed(2)} (estimated)`, key: "max_cost_usd", cap: "JULES_MAX_COST_USD" }),
  time: (b) => ({ what: `its time limit of ${duration(b.maxWallMs)}`, key: "max_minutes", cap: "JULES_MAX_MINUTES" }),
};

/** "30 minutes", "1.5 minutes", or "40 seconds" under a minute (max_minutes may be a fraction). */
function duration(ms: number): string {
  if (ms < 60_000) {
    const seconds = Math.max(1, Math.round(ms / 1000));
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }
  const minutes = Number((ms / 60_000).toFixed(1));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** In words, for a pause: "reached its budget of $2.00 (estimated)". */
export function budgetReason(name: BudgetName, budget: Budget): string {
  return `reached ${DESCRIBE[name](budget).what}`;
}

export function budgetError(name: BudgetName, budget: Budget, phase: string, usage: Usage): AgentError {
  const d = DESCRIBE[name](budget);
  return new AgentError(
    `${phase} stopped: the task reached ${d.what}`,
    `Narrow the request, or raise budgets.${d.key} in .github/jules.yml (the operator caps it with ${d.cap}).`,
    usage,
  );
}
