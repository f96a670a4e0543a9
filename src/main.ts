import { mkdirSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import { Server } from "probot";
import { createAgentFromSettings } from "./agent/from-settings.ts";
import { julesApp } from "./app.ts";
import { createLogger } from "./log.ts";
import { createOps, meteredRunner, meteredStore, startOpsServer, type OpsServer } from "./ops/create-ops.ts";
import { closeHttpServer, runShutdown } from "./ops/shutdown.ts";
import { openQueue } from "./queue/open.ts";
import { createRuntime } from "./runtime.ts";
import { createSandboxRunner, probeSandbox, resolveTestCommands, sandboxReach } from "./sandbox/index.ts";
import { stoppableRunner } from "./sandbox/stoppable.ts";
import { loadSettings, SettingsError, type Settings } from "./settings.ts";
import { openStore } from "./store/open.ts";
import { createWorkspaces } from "./workspace/from-settings.ts";

/**
 * Process entry. `node src/main.ts` runs the web server and a worker together
 * (the embedded default); `worker` runs only a worker (with the ops endpoints
 * on PORT); `web` only the web server. SIGTERM drains: the web server stops
 * taking deliveries, running jobs get JULES_SHUTDOWN_GRACE_MS to finish and
 * are handed back to the queue after that, every sandboxed command still
 * running is killed and open connections are destroyed. Whatever is still
 * open SHUTDOWN_SLACK_MS after the grace, the process logs it and exits 1.
 */
const SHUTDOWN_SLACK_MS = 4000;
const mode = (process.argv[2] ?? "all") as "all" | "web" | "worker";
if (!["all", "web", "worker"].includes(mode)) {
  console.error(`Unknown mode "${mode}": use web, worker, or nothing for both.`);
  process.exit(1);
}

let settings: Settings;
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
const store = await openStore(settings, { logger: log });
const queue = await openQueue(settings, { logger: log });
const secrets = settings.secrets;
const ops = createOps({
  store,
  queue,
  dataDir: settings.dataDir,
  log,
  apiToken: settings.ops.apiToken,
  readiness: { minFreeBytes: settings.ops.readyMinFreeBytes },
  secrets,
  ...(settings.github.baseUrl ? { webBase: settings.github.baseUrl.replace(/\/api\/v3$/, "") } : {}),
});

const sandbox = settings.sandbox;
if (sandbox.mode === "bubblewrap" && mode !== "web") {
  const probe = await probeSandbox({ bwrapPath: sandbox.bwrapPath });
  if (!probe.ok) log.error({ reason: probe.reason }, "bubblewrap cannot run here: repository commands (setup, tests, the agent's run tool) will be refused. Install bubblewrap, or set JULES_SANDBOX=unsafe to run them unconfined.");
  const reach = await sandboxReach(probe, settings.dataDir);
  if (probe.ok && reach.status !== "ok") log[reach.status === "fail" ? "error" : "warn"]({ fix: reach.fix }, `sandbox: ${reach.detail}`);
}
// Every sandboxed command can be killed at once on shutdown, whoever started it.
const sandboxes = stoppableRunner(meteredRunner(
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
  ops.metrics,
));
const runner = sandboxes.runner;
const agent =
  settings.agent.provider === "none"
    ? null
    : createAgentFromSettings(settings, {
        runner,
        commandTimeoutMs: sandbox.commandTimeoutMs,
        detectCommands: resolveTestCommands,
        onModelCall: (call) => ops.metrics.llmUsage(call.provider, call.model, call.usage),
      });
const runtime = createRuntime({
  settings,
  log,
  store: meteredStore(store, ops.metrics),
  queue,
  agent,
  workspaces: createWorkspaces(settings, settings.workspace),
  metrics: ops.metrics,
});

let server: Server | null = null;
let http: HttpServer | null = null;
let opsServer: OpsServer | null = null;
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
  server.addHandler(ops.handler);
  http = await server.start();
  // Backstop for requests the webhook guard does not time (heads that never end); checked every 30 s by Node.
  http.headersTimeout = settings.server.bodyTimeoutMs;
  http.requestTimeout = settings.server.bodyTimeoutMs;
} else {
  opsServer = await startOpsServer(ops.handler, settings.server);
}
await runtime.identify();
if (mode !== "web") await runtime.startWorker();
log.info({ mode, dataDir: settings.dataDir, store: settings.databaseUrl ? "postgres" : "sqlite", queue: settings.redisUrl ? "bullmq" : "embedded", provider: settings.agent.provider }, "OpenJules is running");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const graceMs = settings.ops.shutdownGraceMs;
    log.info({ signal, graceMs }, "draining: no new webhooks; running jobs finish or are handed back");
    // Answers in progress get a moment; endless bodies, slow heads and keep-alive sockets are destroyed after it.
    const answerMs = Math.min(graceMs, 2000);
    const web = http ?? opsServer?.server ?? null;
    void runShutdown(
      [
        [
          {
            name: "web server",
            run: async () => {
              const closing = web ? closeHttpServer(web, answerMs) : undefined;
              await server?.stop(); // only the webhook proxy is left for it to close
              await closing;
            },
            detail: () => `connections were destroyed after ${answerMs} ms`,
          },
          {
            name: "worker",
            run: async () => {
              await runtime.stop(graceMs);
              sandboxes.abortAll("OpenJules is stopping");
              await sandboxes.idle();
            },
            detail: () => `${sandboxes.running} sandboxed commands running`,
          },
        ],
        [{ name: "queue", run: () => queue.close() }],
        [{ name: "store", run: () => store.close() }],
      ],
      { deadlineMs: graceMs + SHUTDOWN_SLACK_MS, log, exit: (code) => process.exit(code) },
    );
  });
}
