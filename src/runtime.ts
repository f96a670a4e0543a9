import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { Agent } from "./agent/ports.ts";
import { createIntake, type Intake } from "./github/intake.ts";
import { octokitGateways } from "./github/octokit-gateway.ts";
import { GitHubPacer } from "./github/pacer.ts";
import { StatusPublisher } from "./github/status-publisher.ts";
import type { JobQueue } from "./queue/queue.ts";
import type { Settings } from "./settings.ts";
import type { TaskStore } from "./store/store.ts";
import type { TaskDeps } from "./tasks/deps.ts";
import { jobHandlers } from "./worker/jobs.ts";
import { reconcile } from "./worker/reconcile.ts";
import { commandWordOf } from "./worker/repo-config.ts";
import type { Workspaces } from "./workspace/port.ts";

/**
 * The composition root: builds the services of one process from settings and
 * the chosen backends. The entry (main.ts) and the tests are its only callers;
 * nothing else picks concrete implementations.
 */
export interface RuntimeParts {
  settings: Settings;
  log: Logger;
  store: TaskStore;
  queue: JobQueue;
  agent: Agent | null;
  workspaces: Workspaces;
  /** Extra Octokit options (tests point requests at a mock). */
  octokitRequest?: Record<string, unknown>;
  /** First backoff after a GitHub 5xx (default 1 s; tests use less). */
  githubBackoffMs?: number;
}

export interface Runtime {
  /** A Probot class with the app's credentials and our Octokit defaults, for the web server. */
  ProbotClass: typeof Probot;
  probot: Probot;
  intake: Intake;
  deps: TaskDeps;
  /** Learns the app's own bot login from GitHub (so its comments are never taken as commands). */
  identify(): Promise<void>;
  /** Starts taking jobs (after reconciling tasks that lost theirs). */
  startWorker(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

export function createRuntime(parts: RuntimeParts): Runtime {
  const { settings, log, store, queue } = parts;
  // Probot's own throttling and retry are replaced by the per-installation pacer. A function default runs
  // last, on the options Probot computed (which carry its throttle settings), so it can switch them off.
  const Octokit = ProbotOctokit.defaults((options: Record<string, any>) => ({
    ...options,
    throttle: { ...options.throttle, enabled: false },
    retry: { ...options.retry, enabled: false },
  }));
  const ProbotClass = Probot.defaults({
    appId: settings.github.appId,
    privateKey: settings.github.privateKey,
    secret: settings.github.webhookSecret,
    baseUrl: settings.github.baseUrl,
    log: log as never,
    Octokit,
    ...(parts.octokitRequest ? { request: parts.octokitRequest } : {}),
  });
  const probot = new ProbotClass();
  const pacer = new GitHubPacer({
    intervalMs: settings.github.writeIntervalMs,
    maxRetries: settings.github.maxRetries,
    ...(parts.githubBackoffMs !== undefined ? { backoffMs: parts.githubBackoffMs } : {}),
    onRetry: (info) => log.warn(info, "GitHub asked us to slow down or failed; retrying"),
  });
  const github = octokitGateways(probot, pacer);
  const now = () => new Date();
  const webBase = settings.github.baseUrl ? settings.github.baseUrl.replace(/\/api\/v3$/, "") : "https://github.com";
  const status = new StatusPublisher({ store, github, log, webBase, now, command: (t) => commandWordOf(t.owner, t.repo) });
  const deps: TaskDeps = { store, queue, github, status, agent: parts.agent, workspaces: parts.workspaces, log, now, webBase };

  let appSlug: string | null = null;
  const intake = createIntake({
    queue,
    log,
    gate: {
      appId: settings.github.appId,
      get appSlug() {
        return appSlug;
      },
      allowedBots: settings.github.allowedBots,
    },
  });

  return {
    ProbotClass,
    probot,
    intake,
    deps,
    async identify() {
      appSlug = await fetchAppSlug(probot, log);
    },
    async startWorker() {
      await reconcile(deps);
      await queue.start(jobHandlers(deps, { ownLogin: () => (appSlug ? `${appSlug}[bot]` : null) }), settings.worker.concurrency);
    },
    async stop(graceMs = 30_000) {
      await queue.stop(graceMs);
    },
  };
}

/** The app's slug (its bot user is `<slug>[bot]`); also proves the credentials work. Not fatal when GitHub is unreachable. */
async function fetchAppSlug(probot: Probot, log: Logger): Promise<string | null> {
  try {
    const octokit = await probot.auth();
    const { data } = await octokit.rest.apps.getAuthenticated();
    return data?.slug ?? null;
  } catch (error) {
    log.warn({ err: error }, "could not read the app's own identity from GitHub (GET /app); its comments are still recognised by app id");
    return null;
  }
}
