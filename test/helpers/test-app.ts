/**
 * A whole OpenJules process for tests, built by the composition root
 * (src/composition/open-jules.ts) as src/main.ts builds it: real Probot
 * (retry and throttle off, our pacer on), real SQLite store and embedded
 * queue in a temporary data directory, the worker running, and the agent
 * double. GitHub is mocked with nock (see github-mock.ts). With
 * `server: true` the process starts as `all` (or `web` without the worker)
 * and its real web server listens on 127.0.0.1, for deliveries over HTTP.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Probot } from "probot";
import type { Agent } from "../../src/agent/port.ts";
import { createOpenJules, type OpenJules } from "../../src/composition/open-jules.ts";
import { openEmbeddedQueue, type EmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { loadSettings, type Settings } from "../../src/settings.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import type { TaskDeps } from "../../src/tasks/deps.ts";
import type { Workspaces } from "../../src/workspace/port.ts";
import { DeliveryDouble, tempWorkspaces } from "./agent-double.ts";
import { testFetch } from "./github-mock.ts";
import { testPrivateKey } from "./keys.ts";
import { freePort } from "./web-server.ts";

export const WEBHOOK_SECRET = "test-webhook-secret";

export interface TestApp {
  /** A Probot instance with the app loaded (deliveries without HTTP). */
  probot: Probot;
  /** The delivery double in use (when no `deliver` option was given). */
  delivery: DeliveryDouble;
  jules: OpenJules;
  /** The task pipeline's dependencies, as the worker has them. */
  deps: TaskDeps;
  store: TaskStore;
  queue: EmbeddedQueue;
  dataDir: string;
  /** The webhook URL of the real web server (`server: true`), else null. */
  webhookUrl: string | null;
  receive(name: string, payload: Record<string, unknown>, id?: string): Promise<void>;
  /** Waits until every queued job (and its follow-ups) has run. */
  settle(): Promise<void>;
  /** Stops like the process does on SIGTERM: web server, then the worker (running jobs get `graceMs`, then are handed back). */
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
  const delivery = new DeliveryDouble();
  const log = pino({ level: process.env.TEST_LOG ?? "silent" });
  const build = async (port: number) => {
    const settings = loadSettings({
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      JULES_DATA_DIR: dataDir,
      JULES_GITHUB_WRITE_INTERVAL_MS: "0",
      JULES_JOB_LEASE_MS: "30000",
      ...(port ? { HOST: "127.0.0.1", PORT: String(port) } : {}),
      ...opts.env,
    });
    const dbPath = join(dataDir, "openjules.db");
    const queue = openEmbeddedQueue(dbPath, { leaseMs: settings.worker.leaseMs, pollMs: 20, backoffMs: 20, defaultAttempts: settings.worker.jobAttempts });
    const agent = opts.agentFactory ? opts.agentFactory(settings) : (opts.agent ?? null);
    const overrides = {
      log,
      store: openSqliteStore(dbPath),
      queue,
      agent,
      workspaces: opts.workspaces ?? tempWorkspaces,
      deliver: opts.deliver ?? delivery.deliver,
      githubBackoffMs: 5,
      octokitRequest: { fetch: testFetch },
    };
    return { jules: await createOpenJules(settings, overrides), queue };
  };
  let { jules, queue } = await build(opts.server ? await freePort() : 0);
  if (opts.server) {
    // Another process may take the free port before the server listens on it: then again on a new one.
    for (let attempt = 1; ; attempt++) {
      try {
        await jules.start(opts.startWorker === false ? "web" : "all");
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 5) throw error;
        await jules.stop(0);
        ({ jules, queue } = await build(await freePort()));
      }
    }
  } else if (opts.startWorker !== false) await (await jules.runtime()).startWorker();
  const { deps } = await jules.runtime();
  return {
    probot: jules.probot,
    delivery,
    jules,
    deps,
    store: jules.store,
    queue,
    dataDir,
    webhookUrl: opts.server ? `http://127.0.0.1:${jules.port}${jules.settings.github.webhookPath}` : null,
    receive: (name, payload, id) => jules.probot.receive({ id: id ?? `delivery-${++deliveries}`, name, payload } as never),
    async settle() {
      await queue.idle();
    },
    async close(graceMs = 1000) {
      const code = await jules.stop(graceMs);
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`the test app did not stop within its grace of ${graceMs} ms (see the log with TEST_LOG=info)`);
    },
  };
}
