import { environmentSnapshots } from "../sandbox/snapshot/index.ts";
import type { Settings } from "../settings.ts";
import { type AgentDeps, createAgent } from "./agent.ts";
import type { Agent } from "./port.ts";

/**
 * The process entry's way to build the agent from the settings. Extra
 * dependencies (the sandbox's CommandRunner, test command detection) are
 * passed through. With JULES_PROVIDER=none the agent still exists: each phase
 * then fails with a clear message in the thread instead of the app refusing
 * to start. A malformed JULES_PRICES throws here, at startup.
 */
export function createAgentFromSettings(settings: Settings, extra: Omit<AgentDeps, "settings" | "dataDir" | "secrets"> = {}): Agent {
  // Environment snapshots are built here, once, from the settings (JULES_ENV_SNAPSHOT_MB; off in unsafe mode).
  const environments = "environments" in extra ? extra.environments : environmentSnapshots(settings);
  return createAgent({ settings: settings.agent, dataDir: settings.dataDir, secrets: settings.secrets, ...extra, environments });
}
