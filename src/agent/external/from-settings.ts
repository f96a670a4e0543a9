import type { Settings } from "../../settings.ts";
import { parsePriceOverride } from "../prices.ts";
import type { Agent } from "../port.ts";
import { chooseAgent } from "./choose.ts";
import { createExternalAgent, type ExternalAgentDeps } from "./external-agent.ts";

/**
 * The worker's agent when the operator defines external agents
 * (settings.agent.external, from JULES_AGENTS): the built-in agent and one
 * external agent per definition, chosen per task by `agent:` in jules.yml
 * (without definitions only `builtin` is offered, and a repository naming
 * another agent hears so).
 */
export function withExternalAgents(builtin: Agent, settings: Settings, deps: Omit<ExternalAgentDeps, "settings" | "secrets" | "prices" | "builtin" | "dataDir">): Agent {
  const definitions = settings.agent.external ?? [];
  const shared: ExternalAgentDeps = {
    ...deps,
    settings: settings.agent,
    secrets: settings.secrets,
    prices: parsePriceOverride(settings.agent.prices),
    builtin,
    dataDir: settings.dataDir,
  };
  return chooseAgent(builtin, new Map(definitions.map((d) => [d.name, createExternalAgent(d, shared)])));
}
