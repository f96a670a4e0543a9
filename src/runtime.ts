import type { Logger } from "pino";
import type { Probot } from "probot";
import type { Agent } from "./agent/port.ts";
import { deliver } from "./delivery/deliver.ts";
import type { GitHubGateways } from "./github/port.ts";
import type { StatusPublisher } from "./tasks/status-publisher.ts";
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
  /** The paced GitHub gateways and the status publisher, shared with the process's control plane. */
  services: TaskServices;
  /** Delivery (commit, push, pull request); the real one unless a test replaces it. */
  deliver?: TaskDeps["deliver"];
}

/**
 * What the worker and the control plane of one process share, built once:
 * the paced GitHub gateways (one pacer per process, so writes of the API and
 * of the jobs are spaced together per installation) and the status
 * publisher (one coalescing slot per task).
 */
export interface TaskServices {
  github: GitHubGateways;
  status: StatusPublisher;
  now: () => Date;
  /** The users' own provider keys (src/tasks/own-key.ts); absent when JULES_ALLOW_USER_KEYS is off. */
  ownKeys?: TaskDeps["ownKeys"];
}

export interface Runtime {
  deps: TaskDeps;
  /** Starts taking jobs (after reconciling tasks that lost theirs). */
  startWorker(): Promise<void>;
}

export function createRuntime(parts: RuntimeParts): Runtime {
  const { settings, log, store, queue, app, webBase, metrics } = parts;
  const { github, status, now } = parts.services;
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
    publicUrl: settings.web.publicUrl,
    identity: app.identity,
    secrets: settings.secrets,
    deliver: parts.deliver ?? deliver,
    ownKeys: parts.services.ownKeys,
  };
  return {
    deps,
    async startWorker() {
      await reconcile(deps);
      const ownLogin = () => {
        const slug = app.slug();
        return slug ? `${slug}[bot]` : null;
      };
      await queue.start(jobHandlers(deps, { ownLogin, metrics, caps: settings.agent.caps, assignee: settings.github.assignee }), settings.worker.concurrency);
    },
  };
}
