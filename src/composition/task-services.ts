import type { Logger } from "pino";
import { createOwnKeys } from "../accounts/keys.ts";
import { octokitGateways } from "../github/octokit-gateway.ts";
import { GitHubPacer } from "../github/pacer.ts";
import type { Settings } from "../settings.ts";
import type { TaskStore } from "../store/port.ts";
import { StatusPublisher } from "../tasks/status-publisher.ts";
import type { GitHubApp } from "./github-app.ts";
import type { TaskServices } from "../runtime.ts";

/** The TaskServices of a process (runtime.ts), built once and shared by its worker and its control plane. */

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
  const status = new StatusPublisher({ store, github, log, webBase, publicUrl: settings.web.publicUrl, now });
  // Own provider keys, when the operator allows them: which one a new task runs on, and the key when it runs.
  const ownKeys = settings.web.allowUserKeys
    ? createOwnKeys({ accounts: store.accounts, secretKey: settings.web.secretKey, defaultProvider: settings.agent.provider === "none" ? null : settings.agent.provider })
    : undefined;
  return { github, status, now, ...(ownKeys ? { ownKeys } : {}) };
}
