import type { Logger } from "pino";
import type { EventFeed } from "../events/port.ts";
import { probotInstallations } from "../github/installations.ts";
import type { JobQueue } from "../queue/port.ts";
import type { Settings } from "../settings.ts";
import { espeakFinder } from "../speech/espeak.ts";
import type { TaskStore } from "../store/port.ts";
import { createControlPlane } from "../tasks/control/create-control-plane.ts";
import type { ControlPlane } from "../tasks/control/port.ts";
import type { GitHubApp } from "./github-app.ts";
import type { TaskServices } from "../runtime.ts";

/**
 * The control plane of a process (every face's use cases, src/tasks/control)
 * over its store (wrapped with the event feed), queue, GitHub App and the
 * task services it shares with its worker. It needs no agent, workspace or
 * sandbox: a web-only process serves the API and MCP without loading them.
 */
export function buildControlPlane(input: {
  settings: Settings;
  log: Logger;
  store: TaskStore;
  queue: JobQueue;
  app: Pick<GitHubApp, "probot" | "slug" | "identity">;
  services: TaskServices;
  feed: EventFeed;
  webBase: string;
}): ControlPlane {
  const { settings, app, services } = input;
  return createControlPlane({
    store: input.store,
    queue: input.queue,
    github: services.github,
    status: services.status,
    now: services.now,
    ownKeys: services.ownKeys,
    log: input.log,
    webBase: input.webBase,
    secrets: settings.secrets,
    identity: app.identity,
    feed: input.feed,
    installations: probotInstallations(app.probot),
    allowedModels: settings.agent.allowedModels,
    caps: settings.agent.caps,
    defaultModel: settings.agent.provider === "none" || !settings.agent.model ? null : `${settings.agent.provider}:${settings.agent.model}`,
    // espeak-ng (or espeak) on the PATH, looked for at the first summary; none with JULES_TTS=off.
    speech: espeakFinder({ tts: settings.web.tts }),
    ownLogin: () => {
      const slug = app.slug();
      return slug ? `${slug}[bot]` : null;
    },
  });
}
