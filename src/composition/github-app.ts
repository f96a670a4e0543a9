import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { outboundScanPlugin } from "../github/outbound-scan.ts";
import { guardedProbot } from "../github/webhook-guard.ts";
import { githubMetricsPlugin } from "../ops/github-metrics.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { Settings } from "../settings.ts";
import type { BotIdentity } from "../workspace/port.ts";
import { FACE_PATHS } from "./faces.ts";

/**
 * The GitHub App of one process, built once by the composition root: the
 * Octokit class every request goes through (metrics, outbound secret
 * redaction, Probot's own throttling and retry switched off: the worker's
 * per-installation pacer replaces them), the guarded Probot class the web
 * server serves webhooks with, one Probot instance for API calls, and the
 * app's identity learned from GitHub once.
 */
export interface GitHubApp {
  /** A Probot class with the app's credentials and our Octokit defaults. */
  ProbotClass: typeof Probot;
  probot: Probot;
  /** The app's slug once GitHub told it (null before). */
  slug(): string | null;
  /** Asks GitHub for the slug (GET /app) unless known. */
  learnSlug(): Promise<string>;
  /** The app's bot user (needs an installation token: the app's JWT may only call /app endpoints). */
  identity(installationId: number): Promise<BotIdentity>;
}

export interface GitHubAppOptions {
  settings: Settings;
  log: Logger;
  metrics: Metrics;
  /** Extra Octokit request options (tests point requests at a mock). */
  octokitRequest?: Record<string, unknown>;
}

export function createGitHubApp({ settings, log, metrics, octokitRequest }: GitHubAppOptions): GitHubApp {
  // Every request to GitHub, whoever makes it, has this process's secrets and known token shapes redacted.
  const Base = ProbotOctokit.plugin(githubMetricsPlugin(metrics)).plugin(
    outboundScanPlugin({
      secrets: settings.secrets,
      onRedacted: (info) => {
        log.warn(info, "a secret was about to be sent to GitHub: it was replaced by a [REDACTED:<rule>] marker and the rest was sent");
        for (const rule of info.rules) metrics.secretRedacted(rule);
      },
    }),
  );
  // A function default runs last, on the options Probot computed (which carry its throttle settings), so it can switch them off.
  const Octokit = Base.defaults((options: Record<string, any>) => ({
    ...options,
    throttle: { ...options.throttle, enabled: false },
    retry: { ...options.retry, enabled: false },
  }));
  // Webhook bodies are bounded, timed and their signature checked before Probot's middleware reads or parses them.
  const ProbotClass = guardedProbot(
    Probot.defaults({
      appId: settings.github.appId,
      privateKey: settings.github.privateKey,
      secret: settings.github.webhookSecret,
      baseUrl: settings.github.baseUrl,
      log,
      Octokit,
      ...(octokitRequest ? { request: octokitRequest } : {}),
    }),
    { secret: settings.github.webhookSecret, bodyTimeoutMs: settings.server.bodyTimeoutMs, ownBodies: FACE_PATHS, log },
  );
  const probot = new ProbotClass();
  let appSlug: string | null = null;
  let bot: BotIdentity | null = null;
  const learnSlug = async (): Promise<string> => {
    if (appSlug) return appSlug;
    const { data: app } = await (await probot.auth()).rest.apps.getAuthenticated();
    appSlug = app?.slug ?? null;
    if (!appSlug) throw new Error("GET /app answered without the app's slug");
    return appSlug;
  };
  return {
    ProbotClass,
    probot,
    slug: () => appSlug,
    learnSlug,
    async identity(installationId) {
      if (bot) return bot;
      const slug = await learnSlug();
      const { data: user } = await (await probot.auth(installationId)).rest.users.getByUsername({ username: `${slug}[bot]` });
      bot = { slug, userId: user.id };
      return bot;
    },
  };
}
