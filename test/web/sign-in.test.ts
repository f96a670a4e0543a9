/**
 * Sign-in with GitHub and the session cookie, over real HTTP against a real
 * OpenJules web process (the composition root's server, SQLite store) whose
 * GitHub is the stand-in (GHE_HOST over http: the OAuth web flow at its root,
 * REST under /api/v3, every REST request and answer checked against GitHub's
 * OpenAPI description). The login's redirect and state cookie, the callback,
 * the session cookie's attributes, GET /api/v1/me with the cookie, the CSRF
 * rule on writes (token and Origin), expiry and sign-out, the error pages
 * (state mismatch or lost, declined on GitHub, GitHub unreachable, sign-in
 * off), repositories of another app's installations left out, an operator
 * login of JULES_OPERATORS, and a reader's write refused by the control plane.
 */
import { randomBytes } from "node:crypto";
import { findEspeak } from "../../src/speech/espeak.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionId } from "../../src/accounts/sessions.ts";
import type { Task } from "../../src/domain/model.ts";
import { seal } from "../../src/security/sealed.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { Conformance, type OpenApi } from "../api/conformance.ts";
import { problemOf } from "../api/fixture.ts";
import { GitHubOAuth } from "../helpers/github-oauth.ts";
import { startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { cookiePair, setCookieNamed, signInOverHttp } from "../helpers/web-session.ts";

const CLIENT_ID = "Iv1.8a61f9b3a7aba766";
const CLIENT_SECRET = `client-secret-${randomBytes(8).toString("hex")}`;
const APP_ID = 1;

const users = [
  {
    login: "Alice",
    installations: [
      { id: 11, appId: APP_ID, repositories: ["Octo-Org/App", "octo-org/docs"] },
      // Another GitHub App's installation: its repositories are not OpenJules's to show.
      { id: 12, appId: 999, repositories: ["octo-org/secret"] },
    ],
  },
  { login: "Boss", installations: [] },
  { login: "reader", installations: [{ id: 11, appId: APP_ID, repositories: ["octo-org/app"] }] },
  // More repositories than one page holds.
  { login: "many", installations: [{ id: 13, appId: APP_ID, repositories: Array.from({ length: 130 }, (_, i) => `big-org/repo-${i}`) }] },
];

async function taskOn(store: TaskStore, repository: string, installationId: number): Promise<Task> {
  const [owner, repo] = repository.split("/") as [string, string];
  const created = await store.create(
    {
      installationId,
      owner,
      repo,
      issueNumber: null,
      kind: "issue",
      cloneUrl: `https://github.com/${repository}.git`,
      instruction: "fix the crash",
      issueTitle: "fix the crash",
      requestedBy: "someone",
      triggerCommentId: null,
      baseBranch: "main",
      command: "jules",
      face: "api",
    },
    "someone",
    "test",
  );
  if (!created.created) throw new Error("no task");
  return created.task;
}

const expectPage = async (res: Response, status: number, words: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("cache-control")).toBe("no-store");
  const html = await res.text();
  expect(html).toMatch(words);
  expect(html).toMatch(/<a href="\/app\/auth\/login[^"]*">Try again<\/a>|<a href="\/app\/">Try again<\/a>/);
  expect(html).not.toMatch(/<script/i);
  return html;
};

describe("sign-in with GitHub and the session cookie (real server, GitHub stand-in over HTTP)", () => {
  let github: GitHubStandin;
  let oauth: GitHubOAuth;
  let app: TestApp;
  let base: string;
  let conformance: Conformance;

  beforeAll(async () => {
    oauth = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users, expiring: true });
    github = await startGitHubStandin({ extensions: [oauth], roles: { reader: "read" } });
    app = await startTestApp({
      server: true,
      startWorker: false,
      env: {
        APP_ID: String(APP_ID),
        GHE_HOST: github.host,
        GHE_PROTOCOL: "http",
        GITHUB_CLIENT_ID: CLIENT_ID,
        GITHUB_CLIENT_SECRET: CLIENT_SECRET,
        JULES_OPERATORS: "boss",
      },
    });
    base = `http://127.0.0.1:${app.jules.port}`;
    conformance = new Conformance((await (await fetch(`${base}/api/v1/openapi.json`)).json()) as OpenApi);
  });

  afterAll(async () => {
    await app?.close();
    await github?.close();
  });

  it("signs in: login redirects to GitHub with a state, the callback sets the session cookie and goes to next", async () => {
    const start = await fetch(`${base}/app/auth/login?next=${encodeURIComponent("/app/tasks/abc?x=1")}`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`http://${github.host}/login/oauth/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${base}/app/auth/callback`);
    const state = authorize.searchParams.get("state")!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const stateCookie = setCookieNamed(start, "oj_oauth")!;
    expect(stateCookie).toMatch(/^oj_oauth=[^;]+; Path=\/app\/auth; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(cookiePair(stateCookie)).toContain(state);

    oauth.signInAs = "Alice";
    const consent = await fetch(authorize, { redirect: "manual" });
    const back = new URL(consent.headers.get("location")!);
    expect(back.searchParams.get("state")).toBe(state);
    const callback = await fetch(back, { redirect: "manual", headers: { cookie: cookiePair(stateCookie) } });
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/app/tasks/abc?x=1");
    const session = setCookieNamed(callback, "oj_session")!;
    expect(session).toMatch(/^oj_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/);
    expect(setCookieNamed(callback, "oj_oauth")).toMatch(/^oj_oauth=; Path=\/app\/auth; Max-Age=0;/);

    // The store keeps the secret's hash, the token sealed, and only this app's repositories (lower case).
    const secret = cookiePair(session).slice("oj_session=".length);
    const stored = (await app.store.accounts.findSession(sessionId(secret)))!;
    expect(stored.login).toBe("alice"); // the store keeps logins in lower case, as GitHub compares them
    expect(stored.repositories).toEqual(["octo-org/app", "octo-org/docs"]);
    expect(stored.githubToken).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(oauth.tokenOf("Alice"));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(Date.parse(stored.expiresAt) - Date.parse(stored.createdAt)).toBe(86_400_000);

    // The exchange went to GitHub's token endpoint with the callback's redirect_uri, and GitHub's REST calls were as documented.
    expect(github.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual(
      expect.arrayContaining(["POST /login/oauth/access_token", "GET /user", "GET /user/installations", "GET /user/installations/11/repositories"]),
    );
    expect(github.requests.some((r) => r.path.startsWith("/user/installations/12/"))).toBe(false);
    expect(github.violations).toEqual([]);
  });

  it("answers GET /api/v1/me with the cookie: the user, face web, the CSRF token and expiry", async () => {
    const alice = await signInOverHttp(base, oauth, "Alice");
    const res = await fetch(`${base}/api/v1/me`, { headers: { cookie: alice.cookie } });
    const me = (await conformance.check("GET /api/v1/me", res)) as Record<string, unknown>;
    expect(me).toMatchObject({ login: "alice", operator: false, face: "web", csrfToken: alice.csrfToken });
    // espeak-ng is on this machine (the pretest installs it): the server speaks the summaries.
    const engine = await findEspeak({ tts: "auto" });
    expect(me.features).toEqual({ signIn: true, userKeys: false, personalTokens: false, speech: engine ? "server" : "browser" });
    expect(Date.parse(me.expiresAt as string)).toBeGreaterThan(Date.now());
    // No cookie, no token: 401 saying how to sign in.
    const anonymous = await fetch(`${base}/api/v1/me`);
    expect(anonymous.status).toBe(401);
    expect((await problemOf(anonymous)).detail).toMatch(/sign in at \/app\/auth\/login/);
  });

  it("refuses a write with the cookie but no CSRF token, or from a foreign Origin (403); with both it reaches the control plane", async () => {
    const alice = await signInOverHttp(base, oauth, "Alice");
    const task = await taskOn(app.store, "octo-org/app", 11);
    const cancel = (headers: Record<string, string>) => fetch(`${base}/api/v1/tasks/${task.id}/cancel`, { method: "POST", headers: { cookie: alice.cookie, ...headers } });

    const bare = await cancel({});
    expect(bare.status).toBe(403);
    expect(await problemOf(bare)).toMatchObject({ title: "CSRF check failed", detail: "CSRF check failed: reload the page." });
    await conformance.check("POST /api/v1/tasks/{id}/cancel", await cancel({ "x-csrf-token": "not-the-token" }));
    const foreign = await cancel({ "x-csrf-token": alice.csrfToken, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect((await app.store.get(task.id))!.state).toBe("queued");

    const done = await cancel({ "x-csrf-token": alice.csrfToken, origin: base });
    expect(done.status).toBe(200);
    expect((await app.store.get(task.id))!.state).toBe("cancelled");
    const last = (await app.store.history(task.id)).at(-1)!;
    expect(last).toMatchObject({ actor: "alice", face: "web" });
    // Reads need no CSRF token.
    expect((await fetch(`${base}/api/v1/tasks/${task.id}`, { headers: { cookie: alice.cookie } })).status).toBe(200);
    expect(github.violations).toEqual([]);
  });

  it("does not show a repository of another app's installation", async () => {
    const alice = await signInOverHttp(base, oauth, "Alice");
    const theirs = await taskOn(app.store, "octo-org/secret", 11);
    const res = await fetch(`${base}/api/v1/tasks/${theirs.id}`, { headers: { cookie: alice.cookie } });
    expect(res.status).toBe(404);
    const write = await fetch(`${base}/api/v1/tasks/${theirs.id}/cancel`, { method: "POST", headers: { cookie: alice.cookie, "x-csrf-token": alice.csrfToken } });
    expect(write.status).toBe(404);
    expect((await app.store.get(theirs.id))!.state).toBe("queued");
  });

  it("lets a reader read but refuses their write with 403 from the control plane (their role on GitHub)", async () => {
    const reader = await signInOverHttp(base, oauth, "reader");
    const task = await taskOn(app.store, "octo-org/app", 11);
    expect((await fetch(`${base}/api/v1/tasks/${task.id}`, { headers: { cookie: reader.cookie } })).status).toBe(200);
    const res = await fetch(`${base}/api/v1/tasks/${task.id}/cancel`, { method: "POST", headers: { cookie: reader.cookie, "x-csrf-token": reader.csrfToken } });
    expect(res.status).toBe(403);
    expect((await problemOf(res)).detail).toMatch(/reader has the read role on octo-org\/app/);
    expect((await app.store.get(task.id))!.state).toBe("queued");
    expect(github.requests.some((r) => r.path === "/repos/octo-org/app/collaborators/reader/permission")).toBe(true);
  });

  it("makes a login of JULES_OPERATORS the operator, recorded under their login", async () => {
    const boss = await signInOverHttp(base, oauth, "Boss");
    const me = (await (await fetch(`${base}/api/v1/me`, { headers: { cookie: boss.cookie } })).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ login: "boss", operator: true, face: "web" });
    // No installation of Boss's own covers it: the operator sees everything.
    const task = await taskOn(app.store, "octo-org/secret", 11);
    const res = await fetch(`${base}/api/v1/tasks/${task.id}/cancel`, { method: "POST", headers: { cookie: boss.cookie, "x-csrf-token": boss.csrfToken } });
    expect(res.status).toBe(200);
    expect((await app.store.history(task.id)).at(-1)).toMatchObject({ actor: "boss", face: "web" });
  });

  it("reads every page of the user's installation repositories", async () => {
    const many = await signInOverHttp(base, oauth, "many");
    const stored = (await app.store.accounts.findSession(sessionId(many.cookie.slice("oj_session=".length))))!;
    expect(stored.repositories).toHaveLength(130);
    const pages = github.requests.filter((r) => r.path.startsWith("/user/installations/13/repositories"));
    expect(pages.map((r) => new URLSearchParams(r.path.split("?")[1]).get("page") ?? "1")).toEqual(["1", "2"]);
    expect(pages.every((r) => r.path.includes("per_page=100"))).toBe(true);
  });

  it("answers an expired session with 401 'Your session expired; sign in again.'", async () => {
    const secret = randomBytes(32).toString("base64url");
    const past = new Date(Date.now() - 60_000).toISOString();
    await app.store.accounts.createSession({
      id: sessionId(secret),
      login: "Alice",
      userId: 1,
      csrfToken: "t",
      githubToken: seal("ghu_x", app.jules.settings.web.secretKey),
      repositories: ["octo-org/app"],
      repositoriesAt: past,
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      expiresAt: past,
      revokedAt: null,
    });
    const res = await fetch(`${base}/api/v1/me`, { headers: { cookie: `oj_session=${secret}` } });
    expect(res.status).toBe(401);
    expect(await problemOf(res)).toMatchObject({ type: "urn:openjules:problem:unauthorized", detail: "Your session expired; sign in again." });
    // An unknown cookie is 401 too, saying to sign in.
    const unknown = await fetch(`${base}/api/v1/me`, { headers: { cookie: `oj_session=${randomBytes(32).toString("base64url")}` } });
    expect(unknown.status).toBe(401);
  });

  it("signs out with the CSRF token: the session is revoked and its cookie no longer works", async () => {
    const alice = await signInOverHttp(base, oauth, "Alice");
    const refused = await fetch(`${base}/app/auth/logout`, { method: "POST", redirect: "manual", headers: { cookie: alice.cookie } });
    await expectPage(refused, 403, /CSRF check failed/);
    expect((await fetch(`${base}/api/v1/me`, { headers: { cookie: alice.cookie } })).status).toBe(200);

    const out = await fetch(`${base}/app/auth/logout`, { method: "POST", redirect: "manual", headers: { cookie: alice.cookie, "x-csrf-token": alice.csrfToken, origin: base } });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/app/");
    expect(setCookieNamed(out, "oj_session")).toMatch(/^oj_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    const after = await fetch(`${base}/api/v1/me`, { headers: { cookie: alice.cookie } });
    expect(after.status).toBe(401);
    expect((await problemOf(after)).detail).toBe("Your session expired; sign in again.");

    // A form without script signs out too, with the token in its body.
    const bob = await signInOverHttp(base, oauth, "Alice");
    const form = await fetch(`${base}/app/auth/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: bob.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf_token: bob.csrfToken }).toString(),
    });
    expect(form.status).toBe(303);
    expect((await fetch(`${base}/api/v1/me`, { headers: { cookie: bob.cookie } })).status).toBe(401);
  });

  it("shows what went wrong as a page with a Try again link: state mismatch, lost state, declined, GitHub unreachable", async () => {
    const start = await fetch(`${base}/app/auth/login?next=/app/new`, { redirect: "manual" });
    const stateCookie = cookiePair(setCookieNamed(start, "oj_oauth")!);
    const code = oauth.codeFor("Alice", `${base}/app/auth/callback`);

    const mismatch = await fetch(`${base}/app/auth/callback?code=${code}&state=someone-elses-state`, { redirect: "manual", headers: { cookie: stateCookie } });
    const html = await expectPage(mismatch, 400, /state mismatch/i);
    expect(html).toContain('href="/app/auth/login?next=%2Fapp%2Fnew"');
    expect(setCookieNamed(mismatch, "oj_session")).toBeUndefined();

    const lost = await fetch(`${base}/app/auth/callback?code=${code}&state=x`, { redirect: "manual" });
    await expectPage(lost, 400, /Sign-in expired/);
    const forged = await fetch(`${base}/app/auth/callback?code=${code}&state=x`, { redirect: "manual", headers: { cookie: "oj_oauth=x.L2FwcC8.1.forged" } });
    await expectPage(forged, 400, /Sign-in expired/);

    oauth.deny = true;
    try {
      const again = await fetch(`${base}/app/auth/login`, { redirect: "manual" });
      const consent = await fetch(again.headers.get("location")!, { redirect: "manual" });
      const declined = await fetch(consent.headers.get("location")!, { redirect: "manual", headers: { cookie: cookiePair(setCookieNamed(again, "oj_oauth")!) } });
      await expectPage(declined, 403, /did not authorize OpenJules on GitHub/);
    } finally {
      oauth.deny = false;
    }

    for (const failing of ["down", 502] as const) {
      oauth.failing = { exchange: failing };
      try {
        const again = await fetch(`${base}/app/auth/login`, { redirect: "manual" });
        oauth.signInAs = "Alice";
        const consent = await fetch(again.headers.get("location")!, { redirect: "manual" });
        const down = await fetch(consent.headers.get("location")!, { redirect: "manual", headers: { cookie: cookiePair(setCookieNamed(again, "oj_oauth")!) } });
        await expectPage(down, 502, failing === "down" ? /GitHub could not be reached/ : /GitHub answered 502/);
      } finally {
        oauth.failing = {};
      }
    }

    // A code GitHub does not accept (used already): GitHub's refusal, named.
    const again = await fetch(`${base}/app/auth/login`, { redirect: "manual" });
    const state = new URL(again.headers.get("location")!).searchParams.get("state")!;
    const used = await fetch(`${base}/app/auth/callback?code=${code}&state=${state}`, { redirect: "manual", headers: { cookie: cookiePair(setCookieNamed(again, "oj_oauth")!) } });
    expect(used.status).toBe(302); // the code was still good: it signs in
    const replay = await fetch(`${base}/app/auth/login`, { redirect: "manual" });
    const state2 = new URL(replay.headers.get("location")!).searchParams.get("state")!;
    const twice = await fetch(`${base}/app/auth/callback?code=${code}&state=${state2}`, {
      redirect: "manual",
      headers: { cookie: cookiePair(setCookieNamed(replay, "oj_oauth")!) },
    });
    await expectPage(twice, 400, /GitHub did not accept the sign-in code/);
  });

  it("keeps next under /app", async () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/api/v1/tasks", "/app/../healthz", "javascript:alert(1)"]) {
      const start = await fetch(`${base}/app/auth/login?next=${encodeURIComponent(next)}`, { redirect: "manual" });
      oauth.signInAs = "Alice";
      const consent = await fetch(start.headers.get("location")!, { redirect: "manual" });
      const callback = await fetch(consent.headers.get("location")!, { redirect: "manual", headers: { cookie: cookiePair(setCookieNamed(start, "oj_oauth")!) } });
      expect(callback.headers.get("location"), next).toBe("/app/");
    }
  });
});

describe("sign-in settings: Secure cookies behind https, and sign-in off", () => {
  it("marks cookies Secure and uses JULES_PUBLIC_URL for the callback and the Origin check", async () => {
    const oauth = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users });
    const github = await startGitHubStandin({ extensions: [oauth] });
    const app = await startTestApp({
      server: true,
      startWorker: false,
      env: { GHE_HOST: github.host, GHE_PROTOCOL: "http", GITHUB_CLIENT_ID: CLIENT_ID, GITHUB_CLIENT_SECRET: CLIENT_SECRET, JULES_PUBLIC_URL: "https://jules.example.com" },
    });
    try {
      const base = `http://127.0.0.1:${app.jules.port}`;
      const start = await fetch(`${base}/app/auth/login`, { redirect: "manual" });
      expect(new URL(start.headers.get("location")!).searchParams.get("redirect_uri")).toBe("https://jules.example.com/app/auth/callback");
      expect(setCookieNamed(start, "oj_oauth")).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
      oauth.signInAs = "Alice";
      const consent = await fetch(start.headers.get("location")!, { redirect: "manual" });
      const back = new URL(consent.headers.get("location")!);
      const callback = await fetch(`${base}${back.pathname}${back.search}`, { redirect: "manual", headers: { cookie: cookiePair(setCookieNamed(start, "oj_oauth")!) } });
      expect(setCookieNamed(callback, "oj_session")).toMatch(/^oj_session=[^;]+; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure$/);
      const cookie = cookiePair(setCookieNamed(callback, "oj_session")!);
      const { csrfToken } = (await (await fetch(`${base}/api/v1/me`, { headers: { cookie } })).json()) as { csrfToken: string };
      const task = await taskOn(app.store, "octo-org/app", 11);
      const cancel = (origin: string) => fetch(`${base}/api/v1/tasks/${task.id}/cancel`, { method: "POST", headers: { cookie, "x-csrf-token": csrfToken, origin } });
      // With JULES_PUBLIC_URL set, its origin is the only one: not even the address the request came to.
      expect((await cancel(base)).status).toBe(403);
      expect((await cancel("https://jules.example.com")).status).toBe(200);
      expect(github.violations).toEqual([]);
    } finally {
      await app.close();
      await github.close();
    }
  });

  it("says sign-in is off when GITHUB_CLIENT_ID is not set, and the API stays off without tokens", async () => {
    const app = await startTestApp({ server: true, startWorker: false });
    try {
      const base = `http://127.0.0.1:${app.jules.port}`;
      for (const path of ["/app/auth/login", "/app/auth/callback?code=x&state=y"]) {
        await expectPage(await fetch(`${base}${path}`, { redirect: "manual" }), 503, /GITHUB_CLIENT_ID is not set/);
      }
      const api = await fetch(`${base}/api/v1/me`, { headers: { cookie: `oj_session=${randomBytes(32).toString("base64url")}` } });
      expect(api.status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
