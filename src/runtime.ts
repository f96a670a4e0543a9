import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { Agent } from "./agent/port.ts";
import { deliver } from "./delivery/deliver.ts";
import { githubMetricsPlugin } from "./ops/github-metrics.ts";
import { meteredIntake } from "./ops/instrument.ts";
import type { Metrics } from "./ops/metrics.ts";
import { createIntake, type Intake } from "./github/intake.ts";
import { octokitGateways } from "./github/octokit-gateway.ts";
import { outboundScanPlugin } from "./github/outbound-scan.ts";
import { GitHubPacer } from "./github/pacer.ts";
import { guardedProbot } from "./github/webhook-guard.ts";
import { StatusPublisher } from "./tasks/status-publisher.ts";
import type { JobQueue } from "./queue/port.ts";
import type { Settings } from "./settings.ts";
import type { TaskStore } from "./store/port.ts";
import type { TaskDeps } from "./tasks/deps.ts";
import { jobHandlers } from "./worker/jobs.ts";
import { reconcile } from "./worker/reconcile.ts";
import type { BotIdentity } from "./workspace/port.ts";
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
  /** Prometheus metrics (webhooks, GitHub calls); none in most tests. */
  metrics?: Metrics;
  /** Delivery (commit, push, pull request); the real one unless a test replaces it. */
  deliver?: TaskDeps["deliver"];
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
  const Metered = parts.metrics ? ProbotOctokit.plugin(githubMetricsPlugin(parts.metrics)) : ProbotOctokit;
  // Every request to GitHub, whoever makes it, has this process's secrets and known token shapes redacted.
  const Base = Metered.plugin(
    outboundScanPlugin({
      secrets: settings.secrets,
      onRedacted: (info) => {
        log.warn(info, "a secret was about to be sent to GitHub: it was replaced by a [REDACTED:<rule>] marker and the rest was sent");
        for (const rule of info.rules) parts.metrics?.secretRedacted(rule);
      },
    }),
  );
  const Octokit = Base.defaults((options: Record<string, any>) => ({
    ...options,
    throttle: { ...options.throttle, enabled: false },
    retry: { ...options.retry, enabled: false },
  }));
  // Webhook bodies are bounded, timed and their signature checked before Probot's middleware reads or parses them.
  const ProbotClass = guardedProbot(Probot.defaults({
    appId: settings.github.appId,
    privateKey: settings.github.privateKey,
    secret: settings.github.webhookSecret,
    baseUrl: settings.github.baseUrl,
    log: log as never,
    Octokit,
    ...(parts.octokitRequest ? { request: parts.octokitRequest } : {}),
  }), { secret: settings.github.webhookSecret, bodyTimeoutMs: settings.server.bodyTimeoutMs, log });
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
  const status = new StatusPublisher({ store, github, log, webBase, now });
  let appSlug: string | null = null;
  let bot: BotIdentity | null = null;
  const learnSlug = async (): Promise<string> => {
    if (appSlug) return appSlug;
    const { data: app } = await (await probot.auth()).rest.apps.getAuthenticated();
    appSlug = app?.slug ?? null;
    if (!appSlug) throw new Error("GET /app answered without the app's slug");
    return appSlug;
  };
  // The bot user's id needs an installation token (the app's JWT may only call /app endpoints).
  const identity = async (installationId: number): Promise<BotIdentity> => {
    if (bot) return bot;
    const slug = await learnSlug();
    const { data: user } = await (await probot.auth(installationId)).rest.users.getByUsername({ username: `${slug}[bot]` });
    bot = { slug, userId: user.id };
    return bot;
  };
  const deps: TaskDeps = { store, queue, github, status, agent: parts.agent, workspaces: parts.workspaces, log, now, webBase, identity, secrets: settings.secrets, deliver: parts.deliver ?? deliver };

  const plainIntake = createIntake({
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
  const intake = parts.metrics ? meteredIntake(plainIntake, parts.metrics) : plainIntake;

  return {
    ProbotClass,
    probot,
    intake,
    deps,
    async identify() {
      try {
        await learnSlug();
      } catch (error) {
        log.warn({ err: error }, "could not read the app's identity from GitHub (GET /app); its comments are still recognised by app id, and it is asked again when needed");
      }
    },
    async startWorker() {
      await reconcile(deps);
      await queue.start(jobHandlers(deps, { ownLogin: () => (appSlug ? `${appSlug}[bot]` : null), ...(parts.metrics ? { metrics: parts.metrics } : {}) }), settings.worker.concurrency);
    },
    async stop(graceMs = 30_000) {
      await queue.stop(graceMs);
    },
  };
}
