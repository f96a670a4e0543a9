/**
 * The web app in a real browser (Debian's Chromium through playwright-core)
 * against a real OpenJules server (the composition root's, sign-in
 * configured), with the app built by Vite when web/dist is missing or stale:
 * not signed in, every page of the app shows the sign-in page, linking to
 * GitHub's sign-in with the way back; the page comes with the strict CSP and
 * loads under it without a console error; axe-core finds no serious
 * accessibility violation on it, on a desktop and on a phone.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, seriousViolations, watch } from "../helpers/browser.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { ensureWebBuild } from "../helpers/web-build.ts";

let app: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  await ensureWebBuild();
  app = await startTestApp({
    server: true,
    startWorker: false,
    env: { GITHUB_CLIENT_ID: "Iv1.0123456789abcdef", GITHUB_CLIENT_SECRET: "smoke-client-secret", JULES_API_TOKEN: "smoke-operator-token" },
  });
  base = new URL(app.webhookUrl!).origin;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Console errors other than the browser's own line for the 401 of /api/v1/me, which is how the app learns nobody is signed in. */
const unexpected = (problems: ReturnType<typeof watch>) => problems.filter((p) => !(p.url.endsWith("/api/v1/me") && /status of 401/.test(p.text))).map((p) => `${p.text} ${p.url}`);

describe("the web app, not signed in", () => {
  it("shows the sign-in page under the CSP, without console errors or serious accessibility violations", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const answer = await page.goto(`${base}/app/tasks/t-123?x=1`);
    expect(answer?.status()).toBe(200);
    const csp = answer?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(answer?.headers()["x-frame-options"]).toBe("DENY");

    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in to OpenJules");
    const signIn = page.getByRole("link", { name: "Sign in with GitHub" });
    expect(await signIn.getAttribute("href")).toBe(`/app/auth/login?next=${encodeURIComponent("/app/tasks/t-123?x=1")}`);
    expect(await page.title()).toBe("Sign in · OpenJules");
    expect(await page.getByRole("main").count()).toBe(1);

    expect(await seriousViolations(page)).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("is usable on a phone", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${base}/app/`);
    const signIn = page.getByRole("link", { name: "Sign in with GitHub" });
    await signIn.waitFor();
    const box = await signIn.boundingBox();
    expect(box).not.toBeNull();
    // Within the screen, and a target a thumb can hit (at least 44 px high).
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    // Nothing wider than the screen (the test's TypeScript has no DOM types: the page runs the expression).
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("reaches the sign-in link from the keyboard", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/app/settings`);
    await page.getByRole("link", { name: "Sign in with GitHub" }).waitFor();
    await page.keyboard.press("Tab");
    const focused = await page.evaluate<{ text: string; href: string }>("({ text: document.activeElement.textContent, href: document.activeElement.getAttribute('href') })");
    expect(focused).toEqual({ text: "Sign in with GitHub", href: `/app/auth/login?next=${encodeURIComponent("/app/settings")}` });
    await context.close();
  });
});
