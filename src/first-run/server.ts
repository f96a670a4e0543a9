import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "../domain/logger.ts";
import { loadSettings, SettingsError, type Settings } from "../settings.ts";
import { convertManifestCode } from "./conversion.ts";
import type { FirstRunSettings } from "./decide.ts";
import { writeEnvFile } from "./env-file.ts";
import { checkedForm, cookieOf, formToken, hostOf, listen, localAddress, sameText, securityHeaders, send, setCookie } from "./http.ts";
import { buildManifest, readAppYml } from "./manifest.ts";
import { continuePage, donePage, lockedPage, problemPage, providerPage, STYLE_SOURCE, welcomePage } from "./pages.ts";
import { providerUpdates } from "./provider.ts";
import { OneRegistration } from "./registration.ts";

/**
 * The first-run server: what `npm start` serves, on PORT and HOST, while the
 * GitHub App has no credentials (src/first-run/decide.ts says when). Only a
 * browser that opened the link printed on the terminal (it carries a random
 * key) gets a page; it is bound to that browser by a cookie, and its forms
 * carry a token derived from it. 1. /first-run/ explains what OpenJules
 * needs; its form (an organization, optional) begins the one registration
 * allowed at a time (src/first-run/registration.ts: a random `state` kept
 * here), and answers the form that posts the manifest (app.yml,
 * src/first-run/manifest.ts) to GitHub. 2. GitHub sends the browser back to
 * /first-run/callback?code&state; the code is converted into the App's
 * credentials (src/first-run/conversion.ts), written into .env.
 * 3. /first-run/provider asks for the model provider, checks the whole
 * configuration as start-up will (loadSettings), writes it into .env, and
 * `done` resolves with the settings once this server is closed: the caller
 * starts OpenJules in the same process, on the same port.
 */

export interface FirstRunOptions {
  settings: FirstRunSettings;
  /** The process's environment: the final settings are this plus what the first run wrote. */
  env: Record<string, string | undefined>;
  /** Absolute path of the .env file to write. */
  envFile: string;
  log: Logger;
  /** Says the link (with its key) to the person at the terminal: never a log line. */
  announce: (text: string) => void;
  now?: () => number;
}

export interface FirstRun {
  /** The link to open (it carries the key). */
  link: string;
  port: number;
  /** The settings to start with, once the provider step saved them and this server has closed. */
  done: Promise<Settings>;
  close(): Promise<void>;
}

const MAX_BROWSERS = 20;
const CLAIM_PAGES = {
  unknown: [
    400,
    problemPage({ title: "Not a registration under way", text: "This link does not belong to the registration this server is waiting for (or it expired).", retry: true }),
  ],
  "other-browser": [403, problemPage({ title: "Another browser", text: "Finish the registration in the browser that started it." })],
  converting: [409, problemPage({ title: "Registration under way", text: "This registration is being completed already." })],
} as const;

export async function startFirstRun(options: FirstRunOptions): Promise<FirstRun> {
  const { settings, log } = options;
  const key = randomBytes(24).toString("base64url");
  const secret = randomBytes(32);
  const browsers = new Set<string>();
  const headers = securityHeaders(settings.webHost, STYLE_SOURCE);
  const secure = settings.publicUrl?.startsWith("https://") ?? false;
  const appYml = readAppYml();
  const registration = new OneRegistration(options.now);
  let finished = false;
  let resolveDone!: (s: Settings) => void;
  const done = new Promise<Settings>((resolve) => (resolveDone = resolve));

  const html = (res: ServerResponse, status: number, body: string) => send(res, status, headers, body);
  const redirect = (res: ServerResponse, location: string, extra: Record<string, string> = {}) => {
    res.writeHead(303, { ...headers, ...extra, location }).end();
  };
  const browserOf = (req: IncomingMessage) => {
    const id = cookieOf(req);
    return id && browsers.has(id) ? id : null;
  };
  const baseOf = (req: IncomingMessage) => settings.publicUrl ?? (hostOf(req) ? `http://${hostOf(req)}` : null);
  const manifestFor = (base: string) => buildManifest(appYml, { base, webhookPath: settings.webhookPath, webhookProxyUrl: settings.webhookProxyUrl });

  /** A form post of a known browser, with its token, from this server's own page: its fields, or null once answered. */
  async function form(req: IncomingMessage, res: ServerResponse): Promise<{ browser: string; fields: URLSearchParams } | null> {
    const browser = browserOf(req);
    if (!browser) {
      html(res, 403, lockedPage());
      return null;
    }
    const body = await checkedForm(req, { token: formToken(secret, browser), publicUrl: settings.publicUrl, timeoutMs: settings.server.bodyTimeoutMs });
    if (body.ok) return { browser, fields: body.fields };
    html(res, body.status, problemPage({ title: "Refused", text: body.text, retry: true }));
    return null;
  }

  function welcome(req: IncomingMessage, res: ServerResponse, url: URL) {
    const given = url.searchParams.get("key");
    if (given !== null) {
      if (!sameText(given, key)) return html(res, 403, lockedPage());
      if (browsers.size >= MAX_BROWSERS) browsers.delete(browsers.values().next().value!);
      const browser = randomBytes(24).toString("base64url");
      browsers.add(browser);
      return redirect(res, "/first-run/", { "set-cookie": setCookie(browser, secure) });
    }
    const browser = browserOf(req);
    if (!browser) return html(res, 403, lockedPage());
    const registered = registration.registered;
    if (registered) {
      if (registered.browser === browser) return redirect(res, "/first-run/provider");
      return html(res, 409, problemPage({ title: "Already registered", text: "The GitHub App is registered; the set-up goes on in the browser that registered it." }));
    }
    const base = baseOf(req);
    if (!base) return html(res, 400, problemPage({ title: "Refused", text: "This request names no usable host." }));
    const manifest = manifestFor(base);
    const unreachable = !settings.webhookProxyUrl && /^https?:\/\/(localhost|127\.|\[::1\])/.test(base);
    return html(
      res,
      200,
      welcomePage({
        token: formToken(secret, browser),
        manifest,
        urlSource: settings.publicUrl ? "JULES_PUBLIC_URL" : "this page's address",
        envFile: options.envFile,
        webHost: settings.webHost,
        unreachable,
      }),
    );
  }

  async function register(req: IncomingMessage, res: ServerResponse) {
    const posted = await form(req, res);
    if (!posted) return;
    if (registration.registered) return redirect(res, "/first-run/");
    const org = (posted.fields.get("org") ?? "").trim();
    if (org !== "" && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) {
      return html(res, 400, problemPage({ title: "Not an organization", text: "An organization's login is letters, digits and hyphens.", retry: true }));
    }
    const base = baseOf(req);
    if (!base) return html(res, 400, problemPage({ title: "Refused", text: "This request names no usable host." }));
    const state = registration.begin(posted.browser);
    if (!state) {
      return html(res, 409, problemPage({ title: "A registration is under way", text: "Finish it in the window that started it, or start again in 15 minutes.", retry: true }));
    }
    const action = `${settings.webHost}${org ? `/organizations/${org}` : ""}/settings/apps/new?state=${state}`;
    return html(res, 200, continuePage({ action, manifest: manifestFor(base) }));
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL) {
    const browser = browserOf(req);
    const state = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code") ?? "";
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(code)) return html(res, 400, problemPage({ title: "Refused", text: "GitHub's code is missing or malformed.", retry: true }));
    const claim = registration.claim(state, browser);
    if (claim !== "claimed") {
      const [status, page] = CLAIM_PAGES[claim];
      return html(res, status, page);
    }
    const conversion = await convertManifestCode(code, { apiBaseUrl: settings.apiBaseUrl, log });
    if (!conversion.ok) {
      registration.settle(null);
      return html(res, 502, problemPage({ title: "The App was not registered", text: conversion.problem, retry: true }));
    }
    try {
      writeEnvFile(options.envFile, conversion.app.credentials);
    } catch (error) {
      registration.settle(null);
      log.error({ code: (error as NodeJS.ErrnoException).code ?? null, file: options.envFile }, "the App's credentials could not be written into .env");
      return html(
        res,
        500,
        problemPage({
          title: "Not saved",
          text: `The App was registered on GitHub but ${options.envFile} could not be written. Delete the App in GitHub's settings, fix the file's permissions, and start again.`,
        }),
      );
    }
    registration.settle(conversion.app);
    log.info({ appId: conversion.app.id, slug: conversion.app.slug ?? null, file: options.envFile }, "GitHub App registered; its credentials are in .env");
    return redirect(res, "/first-run/provider");
  }

  function provider(req: IncomingMessage, res: ServerResponse, problems: string[] = [], values = { provider: "openai", model: "", baseUrl: "" }, status = 200) {
    const browser = browserOf(req);
    const registered = registration.registered;
    if (!registered || browser !== registered.browser) return redirect(res, "/first-run/");
    return html(res, status, providerPage({ token: formToken(secret, browser), appName: registered.app.name, envFile: options.envFile, problems, values }));
  }

  async function saveProvider(req: IncomingMessage, res: ServerResponse) {
    const posted = await form(req, res);
    if (!posted) return;
    const registered = registration.registered;
    if (!registered || posted.browser !== registered.browser || finished) return redirect(res, "/first-run/");
    const [provider_, model, apiKey, baseUrl] = ["provider", "model", "apiKey", "baseUrl"].map((name) => posted.fields.get(name) ?? "") as [string, string, string, string];
    const f = { provider: provider_, model, apiKey, baseUrl };
    const values = { provider: f.provider, model: f.model, baseUrl: f.baseUrl };
    const result = providerUpdates(f);
    if (!result.ok) return provider(req, res, result.problems, values, 422);
    let next: Settings;
    try {
      next = loadSettings({ ...options.env, ...registered.app.credentials, ...result.updates });
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      return provider(req, res, error.problems, values, 422);
    }
    writeEnvFile(options.envFile, result.updates);
    finished = true;
    log.info({ provider: result.updates.JULES_PROVIDER, file: options.envFile }, "provider settings written into .env; OpenJules starts");
    res.once("finish", () => void close().then(() => resolveDone(next)));
    return html(res, 200, donePage({ appName: registered.app.name, installUrl: `${registered.app.htmlUrl}/installations/new` }));
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://first-run.invalid");
    const path = url.pathname;
    const get = req.method === "GET" || req.method === "HEAD";
    if (get && path === "/") return redirect(res, "/first-run/");
    if (get && (path === "/first-run" || path === "/first-run/")) return welcome(req, res, url);
    if (get && path === "/first-run/callback") return callback(req, res, url);
    if (get && path === "/first-run/provider") return provider(req, res);
    if (req.method === "POST" && path === "/first-run/register") return register(req, res);
    if (req.method === "POST" && path === "/first-run/provider") return saveProvider(req, res);
    if (req.method === "POST" && path === settings.webhookPath)
      return send(res, 503, headers, "OpenJules is being set up: it has no GitHub App yet.\n", "text/plain; charset=utf-8");
    return html(res, 404, problemPage({ title: "Not here", text: "OpenJules is being set up: its first-run page is at /first-run/." }));
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error({ error: (error as Error).name }, "first-run page failed");
      if (!res.headersSent) html(res, 500, problemPage({ title: "Something went wrong", text: "The first-run page failed; the terminal may say more.", retry: true }));
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  const { port, close } = await listen(server, settings.server.port, settings.server.host);
  const link = `${settings.publicUrl ?? localAddress(settings.server.host, port)}/first-run/?key=${key}`;
  log.info({ port }, "the GitHub App has no credentials yet: serving the first-run page");
  options.announce(`\nOpenJules has no GitHub App yet. To register one and choose the model provider, open:\n\n  ${link}\n\n(The link's key lets only you set up this server.)\n`);
  return { link, port, done, close };
}
