/**
 * `node src/main.ts` without GitHub App credentials, as a real process: a
 * headless one (CI set, no terminal, JULES_FIRST_RUN=off) refuses as before
 * and exits 1; one at a terminal (a pseudo-terminal from util-linux's
 * `script`) serves the first-run page, and once the App is registered and the
 * provider chosen, starts OpenJules in the same process on the same port.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { MANIFEST_CODE, ManifestGitHub, TEST_APP } from "../helpers/manifest-github.ts";
import { freePort } from "../helpers/web-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const MAIN = join(ROOT, "src", "main.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function baseEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "oj-first-run-main-"));
  dirs.push(dir);
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", JULES_DATA_DIR: join(dir, "data"), LOG_LEVEL: "info", CWD: dir };
}

interface Child {
  output: () => string;
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpMatchArray>;
}

/** Runs main.ts (optionally at a pseudo-terminal), collecting stdout and stderr. */
function start(env: Record<string, string>, tty: boolean): Child {
  const { CWD, ...rest } = env;
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const [cmd, args] = tty ? ["script", ["-qec", `${quote(NODE)} ${quote(MAIN)} web`, "/dev/null"]] : [NODE, [MAIN, "web"]];
  const child = spawn(cmd, args, { cwd: CWD, env: rest, stdio: ["pipe", "pipe", "pipe"] });
  let text = "";
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8").replace(/\r/g, "");
      for (const l of listeners) l();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp, ms = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = text.match(pattern);
        if (m) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        child.kill("SIGKILL");
        reject(new Error(`no ${pattern} after ${ms} ms; output:\n${text}`));
      }, ms);
      listeners.add(check);
      check();
    });
  return { output: () => text, exited, waitFor };
}

describe("src/main.ts without GitHub App credentials", { timeout: 120_000 }, () => {
  it("refuses on a headless server with the settings' message, and exits 1", async () => {
    for (const [env, tty, reason] of [
      [{ CI: "1" }, false, "CI is set"],
      [{}, false, "this process has no terminal"],
      [{ JULES_FIRST_RUN: "off" }, true, "JULES_FIRST_RUN is off"],
    ] as const) {
      const child = start({ ...baseEnv(), ...env }, tty);
      expect(await child.exited, child.output()).toBe(1);
      expect(child.output()).toContain("OpenJules cannot start, fix these settings (see .env.example):\n  - APP_ID must be the numeric App ID");
      expect(child.output()).toContain(`No first-run page: ${reason}.`);
      expect(child.output()).not.toContain("/first-run/");
    }
  });

  it("at a terminal serves the first-run page, then starts OpenJules in the same process and port", async () => {
    const github = await new ManifestGitHub().start();
    try {
      const port = await freePort();
      const env: Record<string, string> = { ...baseEnv(), PORT: String(port), HOST: "127.0.0.1", GHE_HOST: new URL(github.url).host, GHE_PROTOCOL: "http" };
      const child = start(env, true);
      const link = (await child.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/first-run\/\?key=[\w-]+)/))[1]!;
      const base = `http://127.0.0.1:${port}`;
      expect(link.startsWith(base)).toBe(true);

      const opened = await fetch(link, { redirect: "manual" });
      const cookie = opened.headers.get("set-cookie")!.split(";")[0]!;
      const page = async (path: string, fields?: Record<string, string>) => {
        const res = await fetch(`${base}${path}`, {
          redirect: "manual",
          ...(fields ? { method: "POST", body: new URLSearchParams(fields).toString() } : {}),
          headers: { cookie, ...(fields ? { "content-type": "application/x-www-form-urlencoded", origin: base } : {}) },
        });
        return { res, html: await res.text() };
      };
      const token = /name="token" value="([^"]+)"/.exec((await page("/first-run/")).html)![1]!;
      const toGitHub = await page("/first-run/register", { token });
      const action = /action="([^"]+)"/.exec(toGitHub.html)![1]!;
      expect(action.startsWith(`${github.url}/settings/apps/new?state=`)).toBe(true);
      const state = new URL(action).searchParams.get("state")!;
      expect((await page(`/first-run/callback?code=${MANIFEST_CODE}&state=${state}`)).res.status).toBe(303);
      expect(github.requests).toEqual([{ method: "POST", path: `/api/v3/app-manifests/${MANIFEST_CODE}/conversions` }]);
      expect(github.violations).toEqual([]);
      const providerToken = /name="token" value="([^"]+)"/.exec((await page("/first-run/provider")).html)![1]!;
      expect((await page("/first-run/provider", { token: providerToken, provider: "none" })).res.status).toBe(200);

      const running = await child.waitFor(/\{[^\n]*"msg":"OpenJules is running"[^\n]*\}/);
      const line = JSON.parse(running[0]) as { pid: number; mode: string; provider: string };
      expect(line).toMatchObject({ mode: "web", provider: "none" });
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      const envFile = join(env.CWD!, ".env");
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(parseEnv(readFileSync(envFile, "utf8"))).toMatchObject({ APP_ID: String(TEST_APP.id), JULES_PROVIDER: "none", GITHUB_CLIENT_ID: TEST_APP.client_id });
      expect(child.output()).not.toContain(TEST_APP.webhook_secret);
      expect(child.output()).not.toContain(TEST_APP.client_secret);
      expect(child.output()).not.toContain("PRIVATE KEY");

      process.kill(line.pid, "SIGTERM");
      expect(await child.exited, child.output()).toBe(0);
    } finally {
      await github.stop();
    }
  });
});
