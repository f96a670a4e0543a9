import { loadSettings, SettingsError, type Settings } from "../settings.ts";

/**
 * Whether a process that cannot load its settings serves the first-run page
 * (src/first-run/server.ts) instead of refusing: only when the GitHub App has
 * no credentials at all yet (APP_ID, PRIVATE_KEY, PRIVATE_KEY_PATH and
 * WEBHOOK_SECRET all unset or empty) and they are the only thing missing,
 * the process is a web server (not `worker` alone), JULES_FIRST_RUN is not
 * `off`, CI is not set, and both stdin and stdout are a terminal. Anything
 * else keeps the refusal: a half-filled App is a mistake to fix, not a first
 * run, and a headless server has nobody to open the page. Pure: the
 * environment and the terminal facts come in as arguments.
 */

/** What the first-run server needs of the settings (everything but the App's credentials). */
export interface FirstRunSettings {
  server: Settings["server"];
  log: Settings["log"];
  /** JULES_PUBLIC_URL (no trailing slash), else the request's Host names the manifest's URLs. */
  publicUrl: string | undefined;
  /** https://github.com or the GHE web host: where the App is registered. */
  webHost: string;
  /** The REST API base URL (GHE), undefined for api.github.com. */
  apiBaseUrl: string | undefined;
  webhookPath: string;
  /** WEBHOOK_PROXY_URL (a smee.io channel): the manifest's webhook URL when set. */
  webhookProxyUrl: string | undefined;
}

export interface FirstRunFacts {
  env: Record<string, string | undefined>;
  mode: string;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
}

export type FirstRunChoice = { serve: true; settings: FirstRunSettings } | { serve: false; reason: string | null };

const CREDENTIALS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET"] as const;
/** Stands in for the missing credentials so that every other setting is validated exactly as at start-up. */
const STAND_IN = { APP_ID: "1", PRIVATE_KEY: "-----BEGIN STAND-IN FOR THE FIRST RUN-----", WEBHOOK_SECRET: "first-run" };

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== "";

export function firstRunChoice(facts: FirstRunFacts): FirstRunChoice {
  const { env } = facts;
  if (CREDENTIALS.some((name) => isSet(env[name]))) return { serve: false, reason: null };
  let settings: Settings;
  try {
    settings = loadSettings({ ...env, ...STAND_IN });
  } catch (error) {
    if (error instanceof SettingsError) return { serve: false, reason: "other settings are wrong too (fix those first)" };
    throw error;
  }
  if (settings.web.firstRun === "off") return { serve: false, reason: "JULES_FIRST_RUN is off" };
  if (isSet(env.CI) && !/^(false|0)$/i.test(env.CI!.trim())) return { serve: false, reason: "CI is set" };
  if (!facts.stdinIsTTY || !facts.stdoutIsTTY) return { serve: false, reason: "this process has no terminal" };
  if (facts.mode === "worker") return { serve: false, reason: "a worker alone serves no web page (run `npm start`)" };
  return {
    serve: true,
    settings: {
      server: settings.server,
      log: settings.log,
      publicUrl: settings.web.publicUrl,
      webHost: settings.web.webHost,
      apiBaseUrl: settings.github.baseUrl,
      webhookPath: settings.github.webhookPath,
      webhookProxyUrl: settings.github.webhookProxyUrl,
    },
  };
}

/** Today's refusal (the settings' own message), with the reason there is no first-run page when the App has no credentials yet. */
export class FirstRunRefused extends SettingsError {
  constructor(cause: SettingsError, reason: string) {
    super(cause.problems);
    this.message = `${cause.message}\nNo first-run page: ${reason}. Fill in .env (see .env.example), or run \`npm start\` in a terminal to register the GitHub App from a page.`;
  }
}
