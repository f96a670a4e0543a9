import { UsageError } from "./task.ts";
import { SCRIPTED_BEHAVIOURS, scriptedModelName, type ScriptedBehaviour } from "./scripted.ts";

/**
 * `--models` and `--agents`. A model is `provider:model` against the
 * providers this machine is configured with (`openai:gpt-4o` needs
 * OPENAI_API_KEY, `anthropic:…` ANTHROPIC_API_KEY, `openai-compatible:…`
 * OPENAI_BASE_URL), a bare model on JULES_PROVIDER, or a scripted one
 * (`scripted:solve`, `scripted:wrong`). Each becomes the settings of the
 * OpenJules that runs its tasks. An agent is `builtin` or the name of an
 * external agent the operator defines in JULES_AGENTS; it is written to each
 * task repository's jules.yml as `agent:`.
 */

export interface ModelSpec {
  /** As given (`openai:gpt-4o`, `scripted:solve`). */
  label: string;
  /** The settings that choose it (JULES_PROVIDER, JULES_MODEL; keys and base URLs come from the environment). */
  env: Record<string, string>;
  scripted: ScriptedBehaviour | null;
}

const PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
type Env = Record<string, string | undefined>;

const has = (env: Env, name: string) => (env[name] ?? "").trim() !== "";

export function parseModel(spec: string, env: Env): ModelSpec {
  const colon = spec.indexOf(":");
  const provider = colon < 0 ? env.JULES_PROVIDER : spec.slice(0, colon);
  const model = colon < 0 ? spec : spec.slice(colon + 1);
  if (!model) throw new UsageError(`--models: "${spec}" names no model`);
  if (provider === "scripted") {
    const behaviour = SCRIPTED_BEHAVIOURS.find((b) => b === model);
    if (!behaviour) throw new UsageError(`--models: the scripted models are ${SCRIPTED_BEHAVIOURS.map((b) => `scripted:${b}`).join(" and ")}, not ${spec}`);
    return { label: spec, env: { JULES_PROVIDER: "openai-compatible", JULES_MODEL: scriptedModelName(behaviour) }, scripted: behaviour };
  }
  if (!provider || provider === "none")
    throw new UsageError(`--models: "${spec}" has no provider; write provider:model (${PROVIDERS.join(", ")}, or scripted) or set JULES_PROVIDER`);
  if (!(PROVIDERS as readonly string[]).includes(provider)) throw new UsageError(`--models: unknown provider "${provider}" in ${spec} (known: ${PROVIDERS.join(", ")}, scripted)`);
  const needs = provider === "anthropic" ? "ANTHROPIC_API_KEY" : provider === "openai" ? "OPENAI_API_KEY" : "OPENAI_BASE_URL";
  if (!has(env, needs)) throw new UsageError(`--models: ${provider}:${model} needs ${needs} (in the environment or .env)`);
  return { label: `${provider}:${model}`, env: { JULES_PROVIDER: provider, JULES_MODEL: model }, scripted: null };
}

/** `--models`, or the model OpenJules is configured with; without either, says how to choose. */
export function parseModels(value: string | undefined, env: Env): ModelSpec[] {
  const given = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (given.length === 0) {
    if (has(env, "JULES_PROVIDER") && env.JULES_PROVIDER !== "none" && has(env, "JULES_MODEL")) return [parseModel(`${env.JULES_PROVIDER}:${env.JULES_MODEL}`, env)];
    throw new UsageError(
      "No model to evaluate: pass --models provider:model[,…] (e.g. openai:gpt-4o, or scripted:solve to check the harness), or set JULES_PROVIDER and JULES_MODEL",
    );
  }
  const specs = given.map((spec) => parseModel(spec, env));
  const labels = specs.map((s) => s.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice) throw new UsageError(`--models: ${twice} is given twice`);
  return specs;
}

const AGENT_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** `--agents`: `builtin` and the names of external agents; a name other than builtin needs JULES_AGENTS. */
export function parseAgents(value: string | undefined, env: Env): string[] {
  const names = (value ?? "builtin")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return ["builtin"];
  for (const name of names) {
    if (!AGENT_NAME.test(name)) throw new UsageError(`--agents: "${name}" is not an agent name (lower-case letters, digits and dashes)`);
    if (name !== "builtin" && !has(env, "JULES_AGENTS")) {
      throw new UsageError(`--agents: ${name} is an external agent, and none is defined here: set JULES_AGENTS (README, "Agent backends"); builtin needs nothing`);
    }
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`--agents: ${twice} is given twice`);
  return names;
}
