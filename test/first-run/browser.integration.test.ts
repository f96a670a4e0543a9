/**
 * The first-run pages in a real browser (Debian's Chromium through
 * playwright-core): the terminal's link, the registration through the
 * (fake) GitHub's manifest form and its redirect back, the provider step,
 * the done page. No CSP violation or other console error on the way, and no
 * serious accessibility problem (axe-core) on any page.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFirstRun } from "../../src/first-run/server.ts";
import { ManifestGitHub, TEST_APP } from "../helpers/manifest-github.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
});

async function accessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
}

describe("the first-run pages in a browser", { timeout: 120_000 }, () => {
  it("register the App, take the provider, and finish, without scripts, console errors or serious accessibility problems", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oj-first-run-browser-"));
    const github = await new ManifestGitHub().start();
    const run = await startFirstRun({
      settings: {
        server: { port: 0, host: "127.0.0.1", bodyTimeoutMs: 5000 },
        log: { level: "info", format: "json" },
        publicUrl: undefined,
        webHost: github.url,
        apiBaseUrl: `${github.url}/api/v3`,
        webhookPath: "/api/github/webhooks",
        webhookProxyUrl: undefined,
      },
      env: { JULES_DATA_DIR: join(dir, "data") },
      envFile: join(dir, ".env"),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      announce: () => undefined,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      // The provider form shown again with its problems is a 422, which Chromium notes as a failed load.
      if (m.type() === "error" && !m.text().includes("status of 422")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    try {
      await page.goto(run.link);
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/first-run/");
      await expect(page.locator("h1").textContent()).resolves.toBe("Set up OpenJules");
      expect(await accessible(page)).toEqual([]);

      await page.getByRole("button", { name: "Register the GitHub App" }).click();
      await expect(page.locator("h1").textContent()).resolves.toBe("Continue on GitHub");
      expect(await accessible(page)).toEqual([]);

      await page.getByRole("button", { name: "Continue to GitHub" }).click();
      await page.waitForURL(/\/first-run\/provider$/);
      expect(github.manifests).toHaveLength(1);
      expect(github.manifests[0]!.manifest).toMatchObject({ redirect_url: `http://127.0.0.1:${run.port}/first-run/callback`, request_oauth_on_install: false });
      expect(github.violations).toEqual([]);
      expect(await page.locator("main").textContent()).toContain(TEST_APP.name);
      expect(await accessible(page)).toEqual([]);

      // A problem first: the key is not filled in again.
      await page.getByLabel("Provider").selectOption("openai");
      await page.getByLabel("Model").fill("gpt-4.1");
      await page.getByRole("button", { name: "Save and start OpenJules" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toContain("API key: OpenAI needs one.");
      expect(await page.getByLabel("Model").inputValue()).toBe("gpt-4.1");
      expect(await accessible(page)).toEqual([]);

      await page.getByLabel(/^API key/).fill("sk-browser-test-key");
      await page.getByRole("button", { name: "Save and start OpenJules" }).click();
      await expect(page.locator("h1").textContent()).resolves.toBe("OpenJules is starting");
      expect(await page.getByRole("link", { name: /install/i }).getAttribute("href")).toBe(`${TEST_APP.html_url}/installations/new`);
      expect(await accessible(page)).toEqual([]);

      const settings = await run.done;
      expect(settings.agent).toMatchObject({ provider: "openai", model: "gpt-4.1", openai: { apiKey: "sk-browser-test-key" } });
      expect(parseEnv(readFileSync(join(dir, ".env"), "utf8"))).toMatchObject({ APP_ID: String(TEST_APP.id), JULES_PROVIDER: "openai", OPENAI_API_KEY: "sk-browser-test-key" });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await run.close();
      await github.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
