import { mkdirSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import type { Logger } from "pino";
import type { Probot } from "probot";
import type { Agent } from "../agent/port.ts";
import { createIntake, type Intake } from "../github/intake.ts";
import { julesApp } from "../app.ts";
import { createLogger } from "../log.ts";
import { createOps } from "../ops/create-ops.ts";
import { meteredIntake, meteredStore } from "../ops/instrument.ts";
import type { Metrics } from "../ops/metrics.ts";
import { startOpsServer } from "../ops/ops-server.ts";
import { closeHttpServer, runShutdown, type ShutdownStep } from "../ops/shutdown.ts";
import { openQueue } from "../queue/open.ts";
import type { JobQueue } from "../queue/port.ts";
import type { Runtime } from "../runtime.ts";
import type { Settings } from "../settings.ts";
import { openStore } from "../store/open.ts";
import type { TaskStore } from "../store/port.ts";
import type { TaskDeps } from "../tasks/deps.ts";
import type { Workspaces } from "../workspace/port.ts";
import { createGitHubApp, type GitHubApp } from "./github-app.ts";
import { webBaseOf } from "./web-base.ts";
import type { StoppableRunner } from "../sandbox/stoppable.ts";
import type { EventFeed } from "../events/port.ts";
import { openEventFeed } from "../events/open.ts";
import { withEventFeed } from "../events/with-event-feed.ts";
import type { ControlPlane } from "../tasks/control/port.ts";
import { accessFrom, facesHandler } from "./faces.ts";
import type { TaskServices } from "../runtime.ts";

/**
 * The composition root: the one place that builds an OpenJules process from
 * its settings and picks the implementations (src/main.ts, the `openjules`
 * CLI and the tests all go through it). `createOpenJules` opens the store and
 * queue, the operator endpoints and the GitHub App (one Octokit set-up, one
 * web base URL, one secret list); `start(mode)` loads and starts what the
 * mode needs and no more: `web` the webhook server only (no worker, agent,
 * sandbox or workspace code is loaded), `worker` the worker with the
 * operator endpoints on their own server, `all` both. `stop()` drains like
 * SIGTERM: no new webhooks, running jobs get the grace period and are handed
 * back after it, sandboxed commands are killed, then the queue and store
 * close; whatever is still open SHUTDOWN_SLACK_MS after the grace is logged
 * and stop() resolves 1. The store is wrapped with the event feed (REDIS_URL:
 * Redis pub/sub; DATABASE_URL: polling; else in-process), and every HTTP
 * server of the process serves the faces of the control plane (/api/v1,
 * /mcp) beside the operator endpoints.
 */
export const MODES = ["all", "web", "worker"] as const;
export type Mode = (typeof MODES)[number];
const SHUTDOWN_SLACK_MS = 4000;

/** What a caller may supply instead of the configured implementation (tests, the CLI). */
export interface Overrides {
  log?: Logger;
  /** The store as opened (it is wrapped with the event feed here). */
  store?: TaskStore;
  queue?: JobQueue;
  /** Live event notices; by default chosen from the settings (src/events/open.ts). A process that is not the worker of an embedded store (the CLI) passes a polling feed. */
  feed?: EventFeed;
  /** The agent (null: none); by default the configured one, in the sandbox. */
  agent?: Agent | null;
  workspaces?: Workspaces;
  deliver?: TaskDeps["deliver"];
  /** Extra Octokit request options (tests point requests at a mock). */
  octokitRequest?: Record<string, unknown>;
  /** First backoff after a GitHub 5xx (tests use less). */
  githubBackoffMs?: number;
}

export interface OpenJules {
  settings: Settings;
  log: Logger;
  /** The store every part uses: writes notify the event feed. */
  store: TaskStore;
  queue: JobQueue;
  feed: EventFeed;
  metrics: Metrics;
  app: GitHubApp;
  intake: Intake;
  /** A Probot instance with the app's event handlers loaded (deliveries without the HTTP server). */
  probot: Probot;
  /** The port the web server (or the worker's operator server) listens on, once started. */
  port: number | null;
  /** The worker's services (TaskDeps, job handlers), built on first use; loads the worker's code. */
  runtime(): Promise<Runtime>;
  /** The control plane every face calls (src/tasks/control), built and loaded on first use; loads no worker code. */
  control(): Promise<ControlPlane>;
  start(mode?: Mode): Promise<void>;
  /** Drains and releases everything; resolves 0, or 1 when something was still open at the deadline. */
  stop(graceMs?: number): Promise<number>;
}

export async function createOpenJules(settings: Settings, overrides: Overrides = {}): Promise<OpenJules> {
  const log = overrides.log ?? createLogger(settings);
  mkdirSync(settings.dataDir, { recursive: true });
  const opened = overrides.store ?? (await openStore(settings, { logger: log, eventLogMax: settings.eventLogMax }));
  const feed = overrides.feed ?? (await openEventFeed(settings, opened, { logger: log }));
  const store = withEventFeed(opened, feed, { logger: log });
  const queue = overrides.queue ?? (await openQueue(settings, { logger: log }));
  const secrets = settings.secrets;
  const webBase = webBaseOf(settings);
  const ops = createOps({
    store,
    queue,
    dataDir: settings.dataDir,
    log,
    apiToken: settings.ops.apiToken,
    readiness: { minFreeBytes: settings.ops.readyMinFreeBytes },
    secrets,
    webBase,
  });
  const metrics = ops.metrics;
  const app = createGitHubApp({ settings, log, metrics, ...(overrides.octokitRequest ? { octokitRequest: overrides.octokitRequest } : {}) });
  const gate = {
    appId: settings.github.appId,
    get appSlug() {
      return app.slug();
    },
    allowedBots: settings.github.allowedBots,
  };
  const intake = meteredIntake(createIntake({ queue, log, gate }), metrics);
  const probot = new app.ProbotClass();
  await probot.load(julesApp(intake));

  const metered = meteredStore(store, metrics);
  // Loaded on first use: an idle web process holds neither the task services nor the use cases.
  let services: Promise<TaskServices> | null = null;
  const taskServices = () =>
    (services ??= import("./task-services.ts").then((m) => m.createTaskServices({ settings, log, store: metered, app, webBase, githubBackoffMs: overrides.githubBackoffMs })));
  let control: Promise<ControlPlane> | null = null;
  const controlPlane = () =>
    (control ??= Promise.all([import("./control.ts"), taskServices()]).then(([m, shared]) =>
      m.buildControlPlane({ settings, log, store: metered, queue, app, services: shared, feed, webBase }),
    ));
  const access = accessFrom(settings);
  const closing = new AbortController();
  const handler = facesHandler({ settings, log, access, control: controlPlane, ops: ops.handler, store: metered, shutdown: closing.signal });

  let runtime: Promise<Runtime> | null = null;
  let sandboxes: StoppableRunner | null = null;
  const buildRuntime = async (): Promise<Runtime> => {
    let agent = overrides.agent;
    if (agent === undefined) {
      const parts = await (await import("./agent.ts")).createAgentParts(settings, log, metrics);
      ({ agent, sandboxes } = parts);
    }
    const workspaces = overrides.workspaces ?? (await import("../workspace/from-settings.ts")).createWorkspaces(settings, settings.workspace);
    const { createRuntime } = await import("../runtime.ts");
    return createRuntime({
      settings,
      log,
      store: metered,
      queue,
      app,
      webBase,
      agent,
      workspaces,
      metrics,
      services: await taskServices(),
      ...(overrides.deliver ? { deliver: overrides.deliver } : {}),
    });
  };

  let web: { stop(): Promise<void>; http: HttpServer } | null = null;
  let starting: Promise<void> | null = null;
  let stopping: Promise<number> | null = null;
  const jules: OpenJules = {
    settings,
    log,
    store,
    queue,
    feed,
    metrics,
    app,
    intake,
    probot,
    port: null,
    runtime: () => (runtime ??= buildRuntime()),
    control: controlPlane,
    start(mode = "all") {
      starting = startMode(mode);
      return starting;
    },
    stop(graceMs = settings.ops.shutdownGraceMs) {
      stopping ??= new Promise<number>((resolve) => {
        // Answers in progress get a moment; endless bodies, slow heads and keep-alive sockets are destroyed after it.
        const answerMs = Math.min(graceMs, 2000);
        const first: ShutdownStep[] = [
          {
            name: "web server",
            run: async () => {
              if (!web) return;
              closing.abort();
              const closed = closeHttpServer(web.http, answerMs);
              await web.stop(); // only the webhook proxy is left for it to close
              await closed;
            },
            detail: () => `connections were destroyed after ${answerMs} ms`,
          },
          {
            name: "worker",
            run: async () => {
              await queue.stop(graceMs);
              sandboxes?.abortAll("OpenJules is stopping");
              await sandboxes?.idle();
            },
            detail: () => `${sandboxes?.running ?? 0} sandboxed commands running`,
          },
        ];
        // A signal during start-up stops what it started once it is up (within the same deadline).
        const startUp: ShutdownStep = { name: "start-up", run: () => starting ?? Promise.resolve() };
        let done = false;
        const exit = (code: number) => {
          if (done) return;
          done = true;
          resolve(code);
        };
        const groups = [[startUp], first, [{ name: "queue", run: () => queue.close() }], [{ name: "store", run: () => store.close() }]];
        void runShutdown(groups, { deadlineMs: graceMs + SHUTDOWN_SLACK_MS, log, exit });
      });
      return stopping;
    },
  };

  async function startMode(mode: Mode): Promise<void> {
    if (mode !== "worker") {
      const { startWebServer } = await import("./web.ts");
      const started = await startWebServer(app.ProbotClass, intake, handler, settings, log);
      web = { http: started.http, stop: () => started.server.stop() };
      jules.port = started.port;
    } else {
      const server = await startOpsServer(handler, settings.server);
      web = { http: server.server, stop: async () => undefined };
      jules.port = server.port;
    }
    try {
      await app.learnSlug();
    } catch (error) {
      log.warn({ err: error }, "could not read the app's identity from GitHub (GET /app); its comments are still recognised by app id, and it is asked again when needed");
    }
    if (mode !== "web") {
      await (await jules.runtime()).startWorker();
    }
    log.info(
      {
        mode,
        dataDir: settings.dataDir,
        store: settings.databaseUrl ? "postgres" : "sqlite",
        queue: settings.redisUrl ? "bullmq" : "embedded",
        provider: settings.agent.provider,
      },
      "OpenJules is running",
    );
  }
  return jules;
}
