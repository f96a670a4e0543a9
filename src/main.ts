import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Server } from "probot";
import { julesApp } from "./index.ts";
import { createLogger } from "./log.ts";
import { openEmbeddedQueue } from "./queue/embedded/index.ts";
import { createRuntime } from "./runtime.ts";
import { loadSettings, SettingsError } from "./settings.ts";
import { openSqliteStore } from "./store/sqlite/index.ts";
import { createAgentFromSettings } from "./agent/from-settings.ts";
import { createSandboxRunner, probeSandbox, resolveTestCommands } from "./sandbox/index.ts";
import { createWorkspaces } from "./workspace/from-settings.ts";

/**
 * Process entry. `node src/main.ts` runs the web server and a worker together
 * (the embedded default); `worker` runs only a worker; `web` only the server.
 */
const mode = (process.argv[2] ?? "all") as "all" | "web" | "worker";

let settings;
try {
  settings = loadSettings();
} catch (error) {
  if (error instanceof SettingsError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const log = createLogger(settings);
mkdirSync(settings.dataDir, { recursive: true });
const dbPath = join(settings.dataDir, "openjules.db");
const store = openSqliteStore(dbPath);
const queue = openEmbeddedQueue(dbPath, { leaseMs: settings.worker.leaseMs, defaultAttempts: settings.worker.jobAttempts, logger: log });
const sandbox = settings.sandbox;
if (sandbox.mode === "bubblewrap") {
  const probe = await probeSandbox({ bwrapPath: sandbox.bwrapPath });
  if (!probe.ok) log.error({ reason: probe.reason }, "bubblewrap cannot run here: repository commands (setup, tests, the agent's run tool) will be refused. Install bubblewrap, or set JULES_SANDBOX=unsafe to run them unconfined.");
}
const runner = createSandboxRunner({
  mode: sandbox.mode,
  bwrapPath: sandbox.bwrapPath,
  limits: { memoryBytes: sandbox.memoryBytes, processes: sandbox.processes },
  outputKeepBytes: sandbox.outputKeepBytes,
  logger: { warn: (message) => log.warn(message) },
});
const agent =
  settings.agent.provider === "none"
    ? null
    : createAgentFromSettings(settings, {
        runner,
        commandTimeoutMs: sandbox.commandTimeoutMs,
        detectTestCommand: async (dir, config) => (await resolveTestCommands(dir, config)).test,
      });
const runtime = createRuntime({ settings, log, store, queue, agent, workspaces: createWorkspaces(settings, settings.workspace) });

let server: Server | null = null;
if (mode !== "worker") {
  server = new Server({
    Probot: runtime.ProbotClass,
    host: settings.server.host,
    port: settings.server.port,
    webhookPath: settings.github.webhookPath,
    webhookProxy: settings.github.webhookProxyUrl,
    log: log as never,
  });
  await server.load(julesApp(runtime.intake));
  await server.start();
}
await runtime.identify();
if (mode !== "web") await runtime.startWorker();
log.info({ mode, dataDir: settings.dataDir, provider: settings.agent.provider }, "OpenJules is running");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "draining: no new webhooks, finishing or handing back running jobs");
    void (async () => {
      await server?.stop();
      await runtime.stop();
      await queue.close();
      await store.close();
      process.exit(0);
    })();
  });
}
