import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * The GitHub App manifest the first-run page posts to GitHub
 * (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest):
 * app.yml (name, description, url, public, events, permissions) with this
 * server's URLs: the webhook at <base><WEBHOOK_PATH> (or WEBHOOK_PROXY_URL,
 * a smee.io channel, when set), GitHub's redirect back to
 * <base>/first-run/callback, and the user sign-in callback of the web app at
 * <base>/app/auth/callback. "Request user authorization during
 * installation" stays off: people sign in from the web app.
 */

export const CALLBACK_PATH = "/first-run/callback";
export const SIGN_IN_CALLBACK_PATH = "/app/auth/callback";

const APP_YML = join(import.meta.dirname, "..", "..", "app.yml");

export interface ManifestUrls {
  /** Origin (and any path prefix) people and GitHub reach this server at, without a trailing slash. */
  base: string;
  webhookPath: string;
  webhookProxyUrl: string | undefined;
}

export interface Manifest {
  name: string;
  url: string;
  description?: string;
  public: boolean;
  hook_attributes: { url: string; active: boolean };
  redirect_url: string;
  callback_urls: string[];
  request_oauth_on_install: boolean;
  setup_on_update: boolean;
  default_events: string[];
  default_permissions: Record<string, string>;
}

export function readAppYml(path = APP_YML): Record<string, unknown> {
  const doc = parse(readFileSync(path, "utf8")) as unknown;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error(`${path} is not a GitHub App manifest (a YAML mapping)`);
  return doc as Record<string, unknown>;
}

export function buildManifest(appYml: Record<string, unknown>, urls: ManifestUrls): Manifest {
  const text = (key: string, fallback: string) => (typeof appYml[key] === "string" && appYml[key] !== "" ? (appYml[key] as string) : fallback);
  return {
    name: text("name", "OpenJules"),
    url: text("url", urls.base),
    ...(typeof appYml.description === "string" ? { description: appYml.description } : {}),
    public: appYml.public === true,
    hook_attributes: { url: urls.webhookProxyUrl ?? `${urls.base}${urls.webhookPath}`, active: true },
    redirect_url: `${urls.base}${CALLBACK_PATH}`,
    callback_urls: [`${urls.base}${SIGN_IN_CALLBACK_PATH}`],
    request_oauth_on_install: false,
    setup_on_update: false,
    default_events: Array.isArray(appYml.default_events) ? appYml.default_events.map(String) : [],
    default_permissions: Object.fromEntries(Object.entries((appYml.default_permissions as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, String(v)])),
  };
}
