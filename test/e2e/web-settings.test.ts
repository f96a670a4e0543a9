/**
 * Settings, CSRF and session expiry in a real browser against a real
 * OpenJules server (test/helpers/web-e2e.ts; personal tokens on with
 * JULES_API_TOKENS, user keys on with JULES_ALLOW_USER_KEYS and a
 * JULES_SECRET_KEY): a personal token is created (its secret shown once,
 * working at once), listed, and revoked (refused from then on); a provider
 * key is saved (only its last four characters shown again, sealed in the
 * store) and deleted. A POST with the page's cookie but without its
 * X-CSRF-Token, or from another origin, is refused with 403 and changes
 * nothing; a session past its expiry sends the page back to the sign-in
 * page, from which signing in again returns to the app.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionId } from "../../src/accounts/sessions.ts";
import { screenshot, seriousViolations, watch } from "../helpers/browser.ts";
import { postFromPage, startWebWorld, type WebWorld } from "../helpers/web-e2e.ts";

const REPO = "octo-org/app";
const PROVIDER_KEY = `sk-ant-api03-${randomBytes(18).toString("hex")}Q7zW`;

let world: WebWorld;

beforeAll(async () => {
  world = await startWebWorld({
    users: [{ login: "alice", installations: [{ id: 1, appId: 1, repositories: [REPO] }] }],
    repositories: { [REPO]: [{ files: { "README.md": "# App\n" }, message: "initial" }] },
    scripts: [],
    env: { JULES_ALLOW_USER_KEYS: "true", JULES_SECRET_KEY: randomBytes(32).toString("base64") },
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const meWith = (token: string) => fetch(`${world.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

describe("the Settings page", { timeout: 120_000 }, () => {
  it("creates a personal token shown once, lists it, and revokes it", async () => {
    const page = await world.signIn("alice", { path: "/app/settings" });
    const problems = watch(page);
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await page.getByText("You have no tokens.").waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const form = page.getByRole("form", { name: "Create a token" });
    await form.getByLabel("Label (optional)").fill("ci-bot");
    await form.getByLabel(/Allow writes/).check();
    await form.getByRole("button", { name: "Create token" }).click();
    await page.getByText("Your new token. Copy it now: it is not shown again.").waitFor();
    const secret = await page.getByLabel("Your new token").inputValue();
    expect(secret.length).toBeGreaterThan(20);
    // It works at once, as alice.
    const me = await meWith(secret);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ login: "alice", face: "api" });

    const row = page.getByRole("row").filter({ hasText: "ci-bot" });
    await row.waitFor();
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("read, write");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "settings-token");

    // Shown once: after a reload the page has the entry but not the secret.
    await page.reload();
    await row.waitFor();
    expect(await page.getByLabel("Your new token").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await row.getByRole("button", { name: "Revoke token ci-bot" }).click();
    await row.getByText(/^revoked /).waitFor();
    expect((await meWith(secret)).status).toBe(401);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("saves a provider key, shows only its last four characters, and deletes it", async () => {
    const page = await world.signIn("alice", { path: "/app/settings" });
    const problems = watch(page);
    const keys = page.locator("section", { has: page.getByRole("heading", { name: "Your provider API keys" }) });
    await keys.getByText("You have saved no key.").waitFor();
    const form = page.getByRole("form", { name: "Save a key" });
    await form.getByLabel("Provider").selectOption("anthropic");
    const field = form.getByLabel("API key");
    expect(await field.getAttribute("type")).toBe("password");
    await field.fill(PROVIDER_KEY);
    await form.getByRole("button", { name: "Save key" }).click();
    await page.getByText("Saved your anthropic key ending in Q7zW.").waitFor();
    const saved = keys.getByRole("list", { name: "Saved keys" }).getByRole("listitem");
    await saved.waitFor();
    expect(await saved.textContent()).toMatch(/^anthropic ending in Q7zW, saved /);
    expect(await field.inputValue()).toBe("");
    expect(await page.content()).not.toContain(PROVIDER_KEY.slice(0, -4));
    // Sealed in the store, never there as written.
    const stored = (await world.app.store.accounts.getUserKey("alice", "anthropic"))!;
    expect(stored.last4).toBe("Q7zW");
    expect(stored.sealed).not.toContain(PROVIDER_KEY.slice(0, -4));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "settings", { docs: true });
    await screenshot(page, "settings", { phone: true });

    await page.reload();
    await saved.waitFor();
    expect(await page.content()).not.toContain(PROVIDER_KEY.slice(0, -4));
    await keys.getByRole("button", { name: "Delete the anthropic key" }).click();
    await page.getByText("Deleted your anthropic key.").waitFor();
    await keys.getByText("You have saved no key.").waitFor();
    expect(await world.app.store.accounts.getUserKey("alice", "anthropic")).toBeNull();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("CSRF and session expiry", { timeout: 120_000 }, () => {
  it("refuses a POST with the page's cookie but no X-CSRF-Token, or from another origin, with 403, and changes nothing", async () => {
    const page = await world.signIn("alice", { path: "/app/settings" });
    await page.getByRole("table", { name: "Your personal tokens" }).or(page.getByText("You have no tokens.")).waitFor();
    const before = (await (await page.request.get(`${world.base}/api/v1/me/tokens`)).json()).tokens.length;

    // fetch from the page itself, the cookie sent, the token left out.
    const bare = await postFromPage(page, "/me/tokens", { label: "no-csrf" }, { csrf: false });
    expect(bare).toMatchObject({ status: 403, body: { status: 403, detail: "CSRF check failed: reload the page." } });
    // The browser context's own requests (its cookies), without the token, and with it from a foreign Origin.
    const viaContext = await page.request.post(`${world.base}/api/v1/me/keys`, { data: { provider: "openai", apiKey: "sk-should-not-be-saved-0000" } });
    expect(viaContext.status()).toBe(403);
    const csrfToken = (await (await page.request.get(`${world.base}/api/v1/me`)).json()).csrfToken as string;
    const foreign = await page.request.post(`${world.base}/api/v1/me/tokens`, {
      data: { label: "foreign" },
      headers: { "x-csrf-token": csrfToken, origin: "http://evil.example" },
    });
    expect(foreign.status()).toBe(403);
    // Sign-out is a POST too.
    expect((await page.request.post(`${world.base}/app/auth/logout`, { maxRedirects: 0 })).status()).toBe(403);

    const after = (await (await page.request.get(`${world.base}/api/v1/me/tokens`)).json()).tokens.length;
    expect(after).toBe(before);
    expect(await world.app.store.accounts.getUserKey("alice", "openai")).toBeNull();
    // With the token, from the page: accepted.
    expect((await postFromPage(page, "/me/tokens", { label: "with-csrf" })).status).toBe(201);
    await page.context().close();
  });

  it("goes back to the sign-in page once the session has expired, and signing in again returns to the app", async () => {
    // A session of alice's that ends in a few seconds, as the store keeps sessions (the real one copied).
    const first = await world.signIn("alice");
    const cookie = (await first.context().cookies()).find((c) => c.name === "oj_session")!;
    const real = (await world.app.store.accounts.findSession(sessionId(cookie.value)))!;
    await first.context().close();
    const secret = randomBytes(32).toString("base64url");
    const ends = Date.now() + 8000;
    await world.app.store.accounts.createSession({ ...real, id: sessionId(secret), csrfToken: randomBytes(16).toString("hex"), expiresAt: new Date(ends).toISOString() });

    const context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: "oj_session", value: secret, url: world.base }]);
    const page = await context.newPage();
    await page.goto(`${world.base}/app/settings`);
    await page.getByText("Signed in as alice").waitFor();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();

    await new Promise((r) => setTimeout(r, Math.max(0, ends - Date.now() + 500)));
    // The next request the page makes (going to the tasks) meets the expired session.
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    await page.getByRole("heading", { name: "Sign in to OpenJules" }).waitFor();
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 5000 }).catch(async () => {
      throw new Error(`no alert on the sign-in page: ${await page.locator("main").textContent()}`);
    });
    expect(await alert.textContent()).toBe("Your session expired; sign in again.");
    const signIn = page.getByRole("link", { name: "Sign in with GitHub" });
    expect(await signIn.getAttribute("href")).toBe(`/app/auth/login?next=${encodeURIComponent("/app/")}`);
    expect(await page.getByText("Signed in as alice").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "sign-in");
    await screenshot(page, "sign-in", { phone: true });

    world.oauth.signInAs = "alice";
    await signIn.click();
    await page.getByText("Signed in as alice").waitFor();
    expect(new URL(page.url()).pathname).toBe("/app/");
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    await context.close();
  });
});
