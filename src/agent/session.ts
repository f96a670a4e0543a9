import type { RepoConfig } from "../config/repo-config.ts";
import type { Settings } from "../settings.ts";
import type { Task } from "../domain/model.ts";
import { type Budget, effectiveBudget, extendBudget } from "./budget.ts";
import { type PriceTable, priceFor } from "./prices.ts";
import { createProvider, taskModelChoice } from "./providers/create-provider.ts";
import type { ModelProvider } from "./providers/provider.ts";
import type { CommandRunner } from "./command-runner.ts";
import type { TaskKey } from "./port.ts";
import { ToolStats } from "./tools/stats.ts";
import type { ToolContext } from "./tools/tool.ts";
import { Transcript, transcriptPath } from "./transcript.ts";
import { UsageMeter } from "./usage.ts";

/**
 * Everything one agent phase works with, set up from the settings and the
 * repository's config: the provider (operator's choice or an allowed
 * override), the usage meter (continuing the task's usage), the budgets, the
 * transcript file and the tools' context over the working copy.
 */

export interface SessionDeps {
  settings: Settings["agent"];
  dataDir: string;
  runner?: CommandRunner | undefined;
  prices: PriceTable;
  commandTimeoutMs: number;
  /** The process's secrets (settings.secrets). */
  secrets: readonly string[];
}

export interface Session {
  provider: ModelProvider;
  meter: UsageMeter;
  budget: Budget;
  transcript: Transcript;
  ctx: ToolContext;
  /** The process's secrets, redacted from transcripts and test output. */
  secrets: readonly string[];
}

export { transcriptPath };

/** `ownKey`: the requester's own provider key the task runs on (instead of the operator's); redacted like the process's secrets. */
export function openSession(deps: SessionDeps, task: Task, config: RepoConfig, workdir: string, mode: "plan" | "execute", ownKey?: TaskKey): Session {
  const provider = createProvider(deps.settings, taskModelChoice(task.model, config), { ownKey });
  const secrets = ownKey ? [...deps.secrets, ownKey.apiKey] : deps.secrets;
  const meter = new UsageMeter({ before: task.usage, price: priceFor(deps.prices, provider.name, provider.model), model: provider.model });
  const transcript = new Transcript(transcriptPath(deps.dataDir, task.id), secrets);
  if (meter.note) transcript.record({ type: "note", text: meter.note });
  return {
    provider,
    meter,
    // A resumed task runs with what resumes added (task.extraBudget), still within the operator's caps.
    budget: extendBudget(effectiveBudget(config.budgets, deps.settings.caps), task.extraBudget, deps.settings.caps),
    transcript,
    secrets,
    ctx: {
      root: workdir,
      denyPaths: config.deny_paths,
      mode,
      runner: mode === "execute" ? deps.runner : undefined,
      commandTimeoutMs: deps.commandTimeoutMs,
      stats: new ToolStats(),
    },
  };
}
