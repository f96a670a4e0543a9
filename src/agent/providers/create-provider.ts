import type { RepoConfig } from "../../config/repo-config.ts";
import type { ProviderName, Settings } from "../../settings.ts";
import { AgentError, type TaskKey } from "../port.ts";
import { AnthropicProvider } from "./anthropic.ts";
import { OpenAIProvider } from "./openai.ts";
import type { ModelProvider } from "./provider.ts";
import type { RetryPolicy } from "./retry.ts";

/**
 * Chooses the provider and model of a task: the operator's JULES_PROVIDER /
 * JULES_MODEL, unless the repository's jules.yml names another one that the
 * operator allows in JULES_ALLOWED_MODELS (entries `provider:model`, or a bare
 * `model` allowed with any configured provider). Anything else is refused with
 * an AgentError the thread can act on.
 */

export interface ModelChoice {
  provider: ProviderName;
  model: string;
}

type AgentSettings = Settings["agent"];
type Override = Pick<RepoConfig, "provider" | "model">;

const allowed = (settings: AgentSettings, choice: ModelChoice): boolean =>
  settings.allowedModels.some((entry) => entry === choice.model || entry === `${choice.provider}:${choice.model}`);

const PROVIDERS: readonly ProviderName[] = ["openai", "anthropic", "openai-compatible"];

/**
 * The model a task runs on: the one asked for when it was created (`task.model`, `provider:model` or a bare model,
 * already checked against JULES_ALLOWED_MODELS by the create use case and checked again by chooseModel), else the
 * repository's `provider`/`model`. A bare model keeps the repository's (or the operator's) provider.
 */
export function taskModelChoice(taskModel: string | null | undefined, config: Override): Override {
  if (!taskModel) return { provider: config.provider, model: config.model };
  const colon = taskModel.indexOf(":");
  if (colon < 0) return { provider: config.provider, model: taskModel };
  const provider = taskModel.slice(0, colon);
  if (!PROVIDERS.includes(provider as ProviderName)) {
    throw new AgentError(`The task asked for ${taskModel}, but ${provider} is not a provider OpenJules knows.`, `Start the task again with a model of ${PROVIDERS.join(", ")}.`);
  }
  return { provider: provider as ProviderName, model: taskModel.slice(colon + 1) };
}

export function chooseModel(settings: AgentSettings, override: Override = {}): ModelChoice {
  const operator = settings.provider === "none" || !settings.model ? null : { provider: settings.provider, model: settings.model };
  if (!override.provider && !override.model) {
    if (operator) return operator;
    throw new AgentError("No LLM provider is configured on this OpenJules server.", "The operator must set JULES_PROVIDER and JULES_MODEL.");
  }
  const provider = override.provider ?? operator?.provider;
  const model = override.model ?? operator?.model;
  if (!provider || !model) {
    throw new AgentError(
      "`.github/jules.yml` names only part of a model choice and the server has no default for the rest.",
      "Set both `provider` and `model` in .github/jules.yml, or remove them to use the server's model.",
    );
  }
  const choice = { provider, model };
  if (operator && operator.provider === provider && operator.model === model) return choice;
  if (!allowed(settings, choice)) {
    const list = settings.allowedModels.length > 0 ? settings.allowedModels.join(", ") : "none";
    throw new AgentError(
      `The model ${provider}:${model} chosen in .github/jules.yml is not allowed on this server.`,
      `Remove \`provider\`/\`model\` from .github/jules.yml or pick an allowed one (allowed: ${list}); the operator controls JULES_ALLOWED_MODELS.`,
    );
  }
  return choice;
}

/**
 * `ownKey`: the requester's own key for the task's provider (JULES_ALLOW_USER_KEYS), used instead of the
 * operator's; a task whose provider is no longer the key's (the repository chose another since) is refused.
 */
export function createProvider(settings: AgentSettings, override: Override = {}, options: { retry?: Partial<RetryPolicy>; ownKey?: TaskKey | undefined } = {}): ModelProvider {
  const { provider, model } = chooseModel(settings, override);
  const own = options.ownKey;
  if (own && own.provider !== provider)
    throw new AgentError(
      `This task was started to run on your own ${own.provider} key, but it now runs on ${provider} (the repository's .github/jules.yml chose it since).`,
      "Retry the task: it then runs on your key for that provider if you saved one on the Settings page, else on the operator's.",
    );
  const common = {
    model,
    timeoutMs: settings.timeoutMs,
    ...(settings.contextWindow ? { contextWindow: settings.contextWindow } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  };
  const missing = (variable: string) =>
    new AgentError(`The ${provider} provider is not configured on this server (${variable} is not set).`, `Ask the operator to set ${variable}, or choose another model.`);
  switch (provider) {
    case "anthropic": {
      const apiKey = own?.apiKey ?? settings.anthropic.apiKey;
      if (!apiKey) throw missing("ANTHROPIC_API_KEY");
      return new AnthropicProvider({ ...common, apiKey, baseUrl: settings.anthropic.baseUrl });
    }
    case "openai": {
      const apiKey = own?.apiKey ?? settings.openai.apiKey;
      if (!apiKey) throw missing("OPENAI_API_KEY");
      return new OpenAIProvider({ ...common, name: "openai", apiKey, baseUrl: settings.openai.baseUrl });
    }
    case "openai-compatible": {
      if (!settings.openai.baseUrl) throw missing("OPENAI_BASE_URL");
      return new OpenAIProvider({ ...common, name: "openai-compatible", apiKey: own?.apiKey ?? settings.openai.apiKey, baseUrl: settings.openai.baseUrl });
    }
  }
}
