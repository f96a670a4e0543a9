import type { Logger } from "pino";
import { octokitGateways } from "../github/octokit-gateway.ts";
import { GitHubPacer } from "../github/pacer.ts";
import type { GitHubGateways } from "../github/port.ts";
import type { Settings } from "../settings.ts";
import type { TaskStore } from "../store/port.ts";
import { StatusPublisher } from "../tasks/status-publisher.ts";
import type { GitHubApp } from "./github-app.ts";

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
}

export function createTaskServices(input: {
  settings: Settings;
  log: Logger;
  store: TaskStore;
  app: Pick<GitHubApp, "probot">;
  webBase: string;
  githubBackoffMs?: number | undefined;
}): TaskServices {
  const { settings, log, store, app, webBase } = input;
  const pacer = new GitHubPacer({
    intervalMs: settings.github.writeIntervalMs,
    maxRetries: settings.github.maxRetries,
    ...(input.githubBackoffMs !== undefined ? { backoffMs: input.githubBackoffMs } : {}),
    onRetry: (info) => log.warn(info, "GitHub asked us to slow down or failed; retrying"),
  });
  const github = octokitGateways(app.probot, pacer);
  const now = () => new Date();
  const status = new StatusPublisher({ store, github, log, webBase, now });
  return { github, status, now };
}
