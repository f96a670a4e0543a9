import { effectiveBudget } from "../../agent/budget.ts";
import type { RepoConfig } from "../../config/repo-config.ts";
import type { Caller } from "../../domain/actor.ts";
import type { ControlDeps } from "./deps.ts";
import type { EffectiveSettings, ModelChoices, Result } from "./port.ts";
import { repoSettings } from "./repo-settings.ts";
import { readableRepository } from "./repositories.ts";
import { ok } from "./result.ts";

/** What a new task may ask for as its model (the New task page's picker): any caller may know it. */
export async function listModels(deps: Pick<ControlDeps, "allowedModels" | "defaultModel">, _caller: Caller): Promise<Result<ModelChoices>> {
  return ok({ default: deps.defaultModel ?? null, allowed: [...deps.allowedModels] });
}

/**
 * The settings a task started now in the repository would get, for a caller
 * who may read it: its `.github/jules.yml` as the worker loads it (an invalid
 * file is a conflict naming its problems), each budget capped by the
 * operator's limit, and the model chosen there or else the operator's.
 */
export async function effectiveSettings(deps: ControlDeps, caller: Caller, repository: string): Promise<Result<EffectiveSettings>> {
  const installed = await readableRepository(deps, caller, repository);
  if (!installed.ok) return installed;
  const loaded = await repoSettings(deps, installed.value);
  if (!loaded.ok) return loaded;
  const config = loaded.value;
  const budget = effectiveBudget(config.budgets, deps.caps);
  return ok({
    approval: config.approval,
    approvers: config.approvers,
    budgets: { maxTurns: budget.maxTurns, maxTokens: budget.maxTokens, maxCostUsd: budget.maxCostUsd, maxMinutes: budget.maxWallMs / 60_000 },
    model: modelOf(config, deps.defaultModel ?? null),
    command: config.command,
  });
}

/** As the agent chooses (agent/providers/create-provider.ts): jules.yml's provider and model, each completed by the operator's. */
function modelOf(config: Pick<RepoConfig, "provider" | "model">, operator: string | null): string | null {
  if (!config.provider && !config.model) return operator;
  const colon = operator?.indexOf(":") ?? -1;
  const provider = config.provider ?? (colon > 0 ? operator!.slice(0, colon) : undefined);
  const model = config.model ?? (colon > 0 ? operator!.slice(colon + 1) : undefined);
  return provider && model ? `${provider}:${model}` : null;
}
