/**
 * A whole OpenJules process for tests: real Probot (retry and throttle off,
 * our pacer on), real SQLite store and embedded queue in a temporary data
 * directory, the worker running, and the agent double. GitHub is mocked with
 * nock (see github-mock.ts). With `server: true` the real web server also
 * listens on 127.0.0.1 (as in src/main.ts), for deliveries over HTTP.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Probot } from "probot";
import type { Agent } from "../../src/agent/port.ts";
import { julesApp } from "../../src/app.ts";
import { openEmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { loadSettings, type Settings } from "../../src/settings.ts";
import type { Workspaces } from "../../src/workspace/port.ts";
import type { TaskDeps } from "../../src/tasks/deps.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import type { TaskStore } from "../../src/store/port.ts";
import type { EmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { testPrivateKey } from "./keys.ts";
import { testFetch } from "./github-mock.ts";
import { DeliveryDouble, tempWorkspaces } from "./agent-double.ts";
import { startWebServer, type WebServer } from "./web-server.ts";

export const WEBHOOK_SECRET = "test-webhook-secret";

export interface TestApp {
  probot: Probot;
  /** The delivery double in use (when no `deliver` option was given). */
  delivery: DeliveryDouble;
  runtime: Runtime;
  store: TaskStore;
  queue: EmbeddedQueue;
  dataDir: string;
  /** The webhook URL of the real web server (`server: true`), else null. */
  webhookUrl: string | null;
  receive(name: string, payload: Record<string, unknown>, id?: string): Promise<void>;
  /** Waits until every queued job (and its follow-ups) has run. */
  settle(): Promise<void>;
  /** Stops like the process would on SIGTERM: web server, then the worker (running jobs get `graceMs`, then are handed back). */
  close(graceMs?: number): Promise<void>;
}

let deliveries = 0;

export interface TestAppOptions {
  agent?: Agent | null;
  /** Builds the agent from the app's settings (the real agent against a fake model server). */
  agentFactory?: (settings: Settings) => Agent;
  /** Real git workspaces instead of empty temporary directories. */
  workspaces?: Workspaces;
  env?: Record<string, string>;
  dataDir?: string;
  startWorker?: boolean;
  /** Delivery; by default a DeliveryDouble (exposed as `delivery`), since the default workspaces have no git. */
  deliver?: TaskDeps["deliver"];
  /** Also start the real web server on 127.0.0.1 (`webhookUrl`). */
  server?: boolean;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "jules-app-")));
  const settings = loadSettings({
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET,
    JULES_DATA_DIR: dataDir,
    JULES_GITHUB_WRITE_INTERVAL_MS: "0",
    JULES_JOB_LEASE_MS: "30000",
    ...opts.env,
  });
  const dbPath = join(dataDir, "openjules.db");
  const store = openSqliteStore(dbPath);
  const queue = openEmbeddedQueue(dbPath, { leaseMs: settings.worker.leaseMs, pollMs: 20, backoffMs: 20, defaultAttempts: settings.worker.jobAttempts });
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });
  const delivery = new DeliveryDouble();
  const runtime = createRuntime({ settings, log, store, queue, agent: opts.agentFactory ? opts.agentFactory(settings) : (opts.agent ?? null), workspaces: opts.workspaces ?? tempWorkspaces, deliver: opts.deliver ?? delivery.deliver, githubBackoffMs: 5, octokitRequest: { fetch: testFetch } });
  const probot = new runtime.ProbotClass();
  await probot.load(julesApp(runtime.intake));
  const web: WebServer | null = opts.server ? await startWebServer(runtime, log, settings.github.webhookPath) : null;
  if (opts.startWorker !== false) await runtime.startWorker();
  return {
    probot,
    delivery,
    runtime,
    store,
    queue,
    dataDir,
    webhookUrl: web?.webhookUrl ?? null,
    receive: (name, payload, id) => probot.receive({ id: id ?? `delivery-${++deliveries}`, name, payload } as never),
    async settle() {
      await queue.idle();
    },
    async close(graceMs = 1000) {
      await web?.stop();
      await runtime.stop(graceMs);
      await queue.close();
      await store.close();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
