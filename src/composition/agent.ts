import type { Logger } from "pino";
import type { Agent } from "../agent/port.ts";
import { parsePriceOverride } from "../agent/prices.ts";
import { meteredRunner } from "../ops/metered-runner.ts";
import type { Metrics } from "../ops/metrics.ts";
import { createSandboxRunner, probeSandbox, resolveTestCommands, sandboxReach } from "../sandbox/index.ts";
import { environmentSnapshots } from "../sandbox/snapshot/index.ts";
import { stoppableRunner, type StoppableRunner } from "../sandbox/stoppable.ts";
import type { Settings } from "../settings.ts";

/**
 * The worker's agent and the sandbox its commands run in, loaded by the
 * composition root only in a process that works on tasks (never in a
 * web-only one). Checks at start-up that bubblewrap can run and reach the
 * data directory, and says how to fix it when not. Every sandboxed command
 * can be killed at once on shutdown, whoever started it. The agent itself
 * (its tools, tree-sitter, the model SDKs) is loaded when the first task
 * needs it, so an idle worker does not hold it; a malformed JULES_PRICES
 * still fails at start-up.
 */
export interface AgentParts {
  /** Null when JULES_PROVIDER=none. */
  agent: Agent | null;
  sandboxes: StoppableRunner;
}

export async function createAgentParts(settings: Settings, log: Logger, metrics: Metrics): Promise<AgentParts> {
  const sandbox = settings.sandbox;
  if (sandbox.mode === "bubblewrap") {
    const probe = await probeSandbox({ bwrapPath: sandbox.bwrapPath });
    if (!probe.ok)
      log.error(
        { reason: probe.reason },
        "bubblewrap cannot run here: repository commands (setup, tests, the agent's run tool) will be refused. Install bubblewrap, or set JULES_SANDBOX=unsafe to run them unconfined.",
      );
    const reach = await sandboxReach(probe, settings.dataDir);
    if (probe.ok && reach.status !== "ok") log[reach.status === "fail" ? "error" : "warn"]({ fix: reach.fix }, `sandbox: ${reach.detail}`);
  }
  const sandboxes = stoppableRunner(
    meteredRunner(
      createSandboxRunner({
        mode: sandbox.mode,
        bwrapPath: sandbox.bwrapPath,
        limits: { memoryBytes: sandbox.memoryBytes, processes: sandbox.processes, tmpfsBytes: sandbox.tmpfsBytes },
        diskQuotaBytes: sandbox.diskQuotaBytes,
        extraReadOnly: sandbox.readOnlyPaths,
        outputKeepBytes: sandbox.outputKeepBytes,
        setupNetwork: sandbox.setupNetwork,
        logger: { warn: (message) => log.warn(message) },
      }),
      metrics,
    ),
  );
  // External agents (JULES_AGENTS) need no provider of OpenJules's own: then the built-in agent fails each phase it is asked for, saying why.
  if (settings.agent.provider === "none" && !settings.agent.external?.length) return { agent: null, sandboxes };
  parsePriceOverride(settings.agent.prices);
  let loaded: Promise<Agent> | null = null;
  const real = () =>
    (loaded ??= Promise.all([import("../agent/from-settings.ts"), import("../agent/external/from-settings.ts")]).then(([{ createAgentFromSettings }, { withExternalAgents }]) => {
      // One set of environment snapshots for both kinds of agent.
      const environments = environmentSnapshots(settings);
      const builtin = createAgentFromSettings(settings, {
        environments,
        runner: sandboxes.runner,
        commandTimeoutMs: sandbox.commandTimeoutMs,
        detectCommands: resolveTestCommands,
        onModelCall: (call) => metrics.llmUsage(call.provider, call.model, call.usage),
      });
      return withExternalAgents(builtin, settings, { runner: sandboxes.runner, commandTimeoutMs: sandbox.commandTimeoutMs, detectCommands: resolveTestCommands, environments });
    }));
  const agent: Agent = {
    plan: async (request) => (await real()).plan(request),
    execute: async (request) => (await real()).execute(request),
  };
  return { agent, sandboxes };
}
