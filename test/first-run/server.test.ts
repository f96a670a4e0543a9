/**
 * The first-run server over real HTTP, from the terminal's link to the
 * started settings, with a fake GitHub (a local HTTP server) answering the
 * manifest conversion in GitHub's wire format; the request and the answer
 * are both checked against GitHub's OpenAPI description.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FirstRunSettings } from "../../src/first-run/decide.ts";
import { buildManifest, readAppYml } from "../../src/first-run/manifest.ts";
import { STYLE_SOURCE } from "../../src/first-run/pages.ts";
import { startFirstRun, type FirstRun } from "../../src/first-run/server.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { MANIFEST_CODE, ManifestGitHub, TEST_APP } from "../helpers/manifest-github.ts";

const CODE = MANIFEST_CODE;
const { webhook_secret: WEBHOOK_SECRET, client_secret: CLIENT_SECRET } = TEST_APP;

const unentity = (s: string) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
const field = (html: string, name: string) => unentity(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "");

let dir: string;
let github: ManifestGitHub;
let run: FirstRun;
let base: string;
let logs: string[];
let announced: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "oj-first-run-"));
  writeFileSync(join(dir, ".env"), "# mine\nLOG_LEVEL=warn\nAPP_ID=\nPRIVATE_KEY=\n", { mode: 0o644 });
  github = await new ManifestGitHub().start();
  logs = [];
  announced = [];
  const record = (level: string) => (details: Record<string, unknown>, message: string) => void logs.push(`${level} ${message} ${JSON.stringify(details)}`);
  const settings: FirstRunSettings = {
    server: { port: 0, host: "127.0.0.1", bodyTimeoutMs: 2000 },
    log: { level: "info", format: "json" },
    publicUrl: undefined,
    webHost: "https://github.com",
    apiBaseUrl: github.url,
    webhookPath: "/api/github/webhooks",
    webhookProxyUrl: undefined,
  };
  run = await startFirstRun({
    settings,
    env: { JULES_DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" },
    envFile: join(dir, ".env"),
    log: { info: record("info"), warn: record("warn"), error: record("error") },
    announce: (text) => void announced.push(text),
  });
  base = `http://127.0.0.1:${run.port}`;
});

afterEach(async () => {
  await run.close();
  await github.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A browser: its cookie, and requests that never follow redirects. */
class Browser {
  cookie = "";
  async get(path: string) {
    const res = await fetch(`${base}${path}`, { redirect: "manual", headers: this.cookie ? { cookie: this.cookie } : {} });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    return { res, html: await res.text() };
  }
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: new URLSearchParams(fields).toString(),
    });
    return { res, html: await res.text() };
  }
  /** Opens the terminal's link, as the person at the terminal does. */
  async open() {
    const { res } = await this.get(new URL(run.link).pathname + new URL(run.link).search);
    expect(res.status).toBe(303);
    return this;
  }
}

describe("the first-run server", () => {
  it("registers the App through GitHub's manifest flow, writes .env, takes the provider, and hands back the settings to start with", async () => {
    expect(announced.join("")).toContain(run.link);
    expect(run.link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${run.port}/first-run/\\?key=[\\w-]{32}$`));
    expect(logs.join("\n")).not.toContain(new URL(run.link).searchParams.get("key"));

    // Without the terminal's key: no page beyond where to find it.
    const stranger = new Browser();
    expect((await stranger.get("/")).res.headers.get("location")).toBe("/first-run/");
    const locked = await stranger.get("/first-run/");
    expect([locked.res.status, locked.html.includes("<form")]).toEqual([403, false]);
    expect((await stranger.get("/first-run/?key=wrong")).res.status).toBe(403);

    const me = new Browser();
    const opened = await me.get(new URL(run.link).pathname + new URL(run.link).search);
    expect(opened.res.headers.get("location")).toBe("/first-run/");
    expect(opened.res.headers.get("set-cookie")).toMatch(/^oj_first_run=[\w-]+; Path=\/first-run; HttpOnly; SameSite=Lax; Max-Age=3600$/);

    // 1. What OpenJules needs, with the URLs from the request's Host.
    const welcome = await me.get("/first-run/");
    expect(welcome.res.status).toBe(200);
    expect(welcome.res.headers.get("content-security-policy")).toBe(
      `default-src 'none'; style-src ${STYLE_SOURCE}; img-src data:; form-action 'self' https://github.com; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(STYLE_SOURCE).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
    expect(Object.fromEntries(["x-frame-options", "x-content-type-options", "referrer-policy", "cache-control"].map((h) => [h, welcome.res.headers.get(h)]))).toEqual({
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "cache-control": "no-store",
    });
    expect(welcome.html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    expect(welcome.html).toContain(`${base}/api/github/webhooks`);
    expect(welcome.html).toContain(`${base}/app/auth/callback`);
    const token = field(welcome.html, "token");
    expect(token).toMatch(/^[\w-]{43}$/);

    // Forms need the browser's token and come from this server's own page.
    expect((await me.post("/first-run/register", { token: "forged" })).res.status).toBe(403);
    expect((await me.post("/first-run/register", { token }, { origin: "https://evil.example" })).res.status).toBe(403);
    expect((await me.post("/first-run/register", { token }, { origin: "null" })).res.status).toBe(403);
    expect((await stranger.post("/first-run/register", { token })).res.status).toBe(403);

    // 2. The registration: the manifest goes to GitHub with the server's state (an organization's page when one is named).
    const org = await me.post("/first-run/register", { token, org: "my-org" });
    expect(org.html).toMatch(/action="https:\/\/github\.com\/organizations\/my-org\/settings\/apps\/new\?state=[\w-]{32}"/);
    const started = await me.post("/first-run/register", { token, org: "" });
    expect(started.res.status).toBe(200);
    const action = unentity(/<form method="post" action="([^"]+)"/.exec(started.html)![1]!);
    const state = new URL(action).searchParams.get("state")!;
    expect(action).toBe(`https://github.com/settings/apps/new?state=${state}`);
    expect(JSON.parse(field(started.html, "manifest"))).toEqual(buildManifest(readAppYml(), { base, webhookPath: "/api/github/webhooks", webhookProxyUrl: undefined }));

    // One registration at a time: another browser with the key waits.
    const other = await new Browser().open();
    const otherToken = field((await other.get("/first-run/")).html, "token");
    expect((await other.post("/first-run/register", { token: otherToken })).res.status).toBe(409);

    // 3. GitHub sends the browser back: the state must be the pending one, in the browser that started.
    expect((await me.get(`/first-run/callback?code=${CODE}&state=not-it`)).res.status).toBe(400);
    expect((await other.get(`/first-run/callback?code=${CODE}&state=${state}`)).res.status).toBe(403);
    const back = await me.get(`/first-run/callback?code=${CODE}&state=${state}`);
    expect([back.res.status, back.res.headers.get("location")]).toEqual([303, "/first-run/provider"]);
    expect(github.requests).toEqual([{ method: "POST", path: `/app-manifests/${CODE}/conversions` }]);
    expect(github.violations).toEqual([]);
    expect((await me.get(`/first-run/callback?code=${CODE}&state=${state}`)).res.status).toBe(400);

    const envFile = join(dir, ".env");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(parseEnv(readFileSync(envFile, "utf8"))).toEqual({
      LOG_LEVEL: "warn",
      APP_ID: "90210",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      GITHUB_CLIENT_ID: "Iv1.0123456789abcdef",
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
    });
    expect(readFileSync(envFile, "utf8").startsWith("# mine\n")).toBe(true);

    // The register page is gone now that there are credentials.
    expect((await me.get("/first-run/")).res.headers.get("location")).toBe("/first-run/provider");
    expect((await other.get("/first-run/")).res.status).toBe(409);
    expect((await other.get("/first-run/provider")).res.headers.get("location")).toBe("/first-run/");

    // 4. The provider step: problems are named, the key is never shown back.
    const providerPage = await me.get("/first-run/provider");
    expect(providerPage.html).toContain("OpenJules Test");
    const providerToken = field(providerPage.html, "token");
    const missing = await me.post("/first-run/provider", { token: providerToken, provider: "openai-compatible", model: "llama3.1:8b", apiKey: "sk-local-secret", baseUrl: "" });
    expect(missing.res.status).toBe(422);
    expect(missing.html).toContain("Base URL: an OpenAI-compatible endpoint needs its address");
    expect(missing.html).not.toContain("sk-local-secret");
    expect(missing.html).toContain('value="llama3.1:8b"');

    const saved = await me.post("/first-run/provider", {
      token: providerToken,
      provider: "openai-compatible",
      model: "llama3.1:8b",
      apiKey: "sk-local-secret",
      baseUrl: "http://localhost:11434/v1",
    });
    expect(saved.res.status).toBe(200);
    expect(saved.html).toContain('href="https://github.com/apps/openjules-test/installations/new"');

    const settings = await run.done;
    expect(settings.github).toMatchObject({ appId: 90210, privateKey: testPrivateKey().trim(), webhookSecret: WEBHOOK_SECRET });
    expect(settings.web.oauth).toEqual({ clientId: "Iv1.0123456789abcdef", clientSecret: CLIENT_SECRET });
    expect(settings.agent).toMatchObject({ provider: "openai-compatible", model: "llama3.1:8b", openai: { apiKey: "sk-local-secret", baseUrl: "http://localhost:11434/v1" } });
    expect(parseEnv(readFileSync(envFile, "utf8"))).toMatchObject({
      JULES_PROVIDER: "openai-compatible",
      JULES_MODEL: "llama3.1:8b",
      OPENAI_API_KEY: "sk-local-secret",
      OPENAI_BASE_URL: "http://localhost:11434/v1",
    });
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    // Its port is free for OpenJules itself.
    await expect(fetch(`${base}/first-run/`)).rejects.toThrow();

    // No secret in any page or log line.
    const everything = [welcome.html, started.html, back.html, providerPage.html, missing.html, saved.html, ...logs].join("\n");
    for (const secret of [testPrivateKey().split("\n")[1]!, WEBHOOK_SECRET, CLIENT_SECRET, "sk-local-secret", CODE]) expect(everything).not.toContain(secret);
    expect(logs.some((l) => l.startsWith("info GitHub App registered"))).toBe(true);
  });

  it("says so when GitHub no longer knows the code, and lets the registration start again", async () => {
    const me = await new Browser().open();
    const token = field((await me.get("/first-run/")).html, "token");
    const state = new URL(unentity(/action="([^"]+)"/.exec((await me.post("/first-run/register", { token })).html)![1]!)).searchParams.get("state")!;
    const failed = await me.get(`/first-run/callback?code=expired-code&state=${state}`);
    expect(failed.res.status).toBe(502);
    expect(failed.html).toContain("GitHub no longer knows this registration (HTTP 404)");
    expect(github.violations).toEqual([]);
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("# mine\nLOG_LEVEL=warn\nAPP_ID=\nPRIVATE_KEY=\n");
    expect(logs.join("\n")).not.toContain("expired-code");
    // The state was used once; a new registration starts.
    expect((await me.get(`/first-run/callback?code=${CODE}&state=${state}`)).res.status).toBe(400);
    expect((await me.post("/first-run/register", { token })).res.status).toBe(200);
  });

  it("answers webhooks and other pages plainly while it waits, and refuses forms that are not forms", async () => {
    const hook = await fetch(`${base}/api/github/webhooks`, { method: "POST", body: "{}" });
    expect([hook.status, await hook.text()]).toEqual([503, "OpenJules is being set up: it has no GitHub App yet.\n"]);
    const other = await fetch(`${base}/app/`);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const me = await new Browser().open();
    const token = field((await me.get("/first-run/")).html, "token");
    expect((await me.post("/first-run/register", { token }, { "content-type": "application/json" })).res.status).toBe(415);
    expect((await me.post("/first-run/register", { token, org: "<script>" })).html).toContain("An organization&#39;s login");
  });
});
