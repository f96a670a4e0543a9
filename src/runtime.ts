import type { Logger } from "pino";
import type { Probot } from "probot";
import type { Agent } from "./agent/port.ts";
import { deliver } from "./delivery/deliver.ts";
import { octokitGateways } from "./github/octokit-gateway.ts";
import { GitHubPacer } from "./github/pacer.ts";
import { StatusPublisher } from "./tasks/status-publisher.ts";
import type { Metrics } from "./ops/metrics.ts";
import type { JobQueue } from "./queue/port.ts";
import type { Settings } from "./settings.ts";
import type { TaskStore } from "./store/port.ts";
import type { TaskDeps } from "./tasks/deps.ts";
import { jobHandlers } from "./worker/jobs.ts";
import { reconcile } from "./worker/reconcile.ts";
import type { Workspaces } from "./workspace/port.ts";

/**
 * The worker's services: the task pipeline's dependencies (TaskDeps: the
 * paced GitHub gateways, the status publisher, agent, workspaces, delivery)
 * and the job handlers. Built only by the composition root
 * (src/composition/open-jules.ts), which loads this module when a process
 * works on tasks (the worker, or the CLI posting a status comment) and never
 * in a web-only process.
 */
export interface RuntimeParts {
  settings: Settings;
  log: Logger;
  store: TaskStore;
  queue: JobQueue;
  /** The GitHub App (src/composition/github-app.ts): API calls, its slug and bot user. */
  app: { probot: Probot; slug(): string | null; identity: TaskDeps["identity"] };
  webBase: string;
  agent: Agent | null;
  workspaces: Workspaces;
  metrics: Metrics;
  /** Delivery (commit, push, pull request); the real one unless a test replaces it. */
  deliver?: TaskDeps["deliver"];
  /** First backoff after a GitHub 5xx (default 1 s; tests use less). */
  githubBackoffMs?: number;
}

export interface Runtime {
  deps: TaskDeps;
  /** Starts taking jobs (after reconciling tasks that lost theirs). */
  startWorker(): Promise<void>;
}

export function createRuntime(parts: RuntimeParts): Runtime {
  const { settings, log, store, queue, app, webBase, metrics } = parts;
  const pacer = new GitHubPacer({
    intervalMs: settings.github.writeIntervalMs,
    maxRetries: settings.github.maxRetries,
    ...(parts.githubBackoffMs !== undefined ? { backoffMs: parts.githubBackoffMs } : {}),
    onRetry: (info) => log.warn(info, "GitHub asked us to slow down or failed; retrying"),
  });
  const github = octokitGateways(app.probot, pacer);
  const now = () => new Date();
  const status = new StatusPublisher({ store, github, log, webBase, now });
  const deps: TaskDeps = {
    store,
    queue,
    github,
    status,
    agent: parts.agent,
    workspaces: parts.workspaces,
    log,
    now,
    webBase,
    identity: app.identity,
    secrets: settings.secrets,
    deliver: parts.deliver ?? deliver,
  };
  return {
    deps,
    async startWorker() {
      await reconcile(deps);
      const ownLogin = () => {
        const slug = app.slug();
        return slug ? `${slug}[bot]` : null;
      };
      await queue.start(jobHandlers(deps, { ownLogin, metrics, caps: settings.agent.caps }), settings.worker.concurrency);
    },
  };
}
