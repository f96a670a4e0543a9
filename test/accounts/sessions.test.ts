/**
 * Sign-in and sessions as use cases, over the real SQLite store and GitHub's
 * OAuth flow and REST API on the stand-in over HTTP, with the clock in the
 * test's hands: the session signIn stores, resolving a cookie secret into a
 * principal (user or operator) or why not (unknown, expired, revoked), the
 * repository list read again after five minutes (and kept when GitHub fails
 * or the token cannot be opened, with a minute before the next try), one
 * refresh for concurrent requests, and sign-out.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitHubUser, type GitHubUser } from "../../src/accounts/github-user.ts";
import { createSessions, sessionId } from "../../src/accounts/sessions.ts";
import { signIn } from "../../src/accounts/sign-in.ts";
import { open } from "../../src/security/sealed.ts";
import type { AccountStore } from "../../src/store/port.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { GitHubOAuth, type OAuthUser } from "../helpers/github-oauth.ts";
import { startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.ts";

const KEY = randomBytes(32);
const REDIRECT = "http://127.0.0.1:1/app/auth/callback";
const client = { clientId: "Iv1.0123456789abcdef", clientSecret: "secret-of-the-client" };

describe("sign-in and sessions (SQLite store, GitHub stand-in over HTTP)", () => {
  let dir: string;
  let accounts: AccountStore;
  let close: () => Promise<void>;
  let github: GitHubStandin;
  let oauth: GitHubOAuth;
  let user: GitHubUser;
  let t = Date.parse("2026-03-01T10:00:00.000Z");
  const now = () => new Date(t);
  const alice: OAuthUser = { login: "alice", installations: [{ id: 7, appId: 1, repositories: ["octo-org/app"] }] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "jules-sessions-"));
    const store = openSqliteStore(join(dir, "openjules.db"));
    accounts = store.accounts;
    close = () => store.close();
    oauth = new GitHubOAuth({ ...client, users: [alice, { login: "Root", installations: [] }] });
    github = await startGitHubStandin({ extensions: [oauth] });
    user = gitHubUser({ client, baseUrl: github.baseUrl, appId: 1 });
  });

  afterAll(async () => {
    await close();
    await github.close();
    await rm(dir, { recursive: true, force: true });
  });

  const signedIn = async (login: string) => {
    const result = await signIn({ accounts, github: user, secretKey: KEY, sessionMs: 3_600_000, now }, { code: oauth.codeFor(login, REDIRECT), redirectUrl: REDIRECT });
    if (!result.ok) throw new Error(result.error.detail);
    return result.value;
  };
  const sessions = (github: Pick<GitHubUser, "repositories"> = user, key = KEY) => createSessions({ accounts, github, secretKey: key, operators: ["root"], now });
  const installationCalls = () => github.requests.filter((r) => r.path.startsWith("/user/installations?")).length;

  it("stores a session for the code: the secret's hash, a CSRF token, the sealed token, the app's repositories, the expiry", async () => {
    const { secret, session } = await signedIn("alice");
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.id).toBe(sessionId(secret));
    expect(await accounts.findSession(session.id)).toEqual(session);
    expect(open(session.githubToken, KEY)).toBe(oauth.tokenOf("alice"));
    expect(session).toMatchObject({ login: "alice", repositories: ["octo-org/app"], createdAt: now().toISOString(), expiresAt: new Date(t + 3_600_000).toISOString() });
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(github.violations).toEqual([]);
  });

  it("clears sessions that ended more than a day before a sign-in", async () => {
    const old = await signedIn("alice");
    t += 3_600_000 + 24 * 3_600_000 + 1;
    try {
      const fresh = await signedIn("alice");
      expect(await accounts.findSession(old.session.id)).toBeNull();
      expect(await accounts.findSession(fresh.session.id)).not.toBeNull();
    } finally {
      t -= 3_600_000 + 24 * 3_600_000 + 1;
    }
  });

  it("refuses a code GitHub refuses, and names GitHub when it cannot be reached", async () => {
    const bad = await signIn({ accounts, github: user, secretKey: KEY, sessionMs: 1000 }, { code: "0123456789abcdef0123", redirectUrl: REDIRECT });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid", title: "Sign-in code refused" } });
    oauth.failing = { api: 503 };
    try {
      const down = await signIn({ accounts, github: user, secretKey: KEY, sessionMs: 1000 }, { code: oauth.codeFor("alice", REDIRECT), redirectUrl: REDIRECT });
      expect(down).toMatchObject({ ok: false, error: { code: "unavailable", detail: expect.stringMatching(/GitHub answered 503 while reading the user/) } });
    } finally {
      oauth.failing = {};
    }
  });

  it("resolves a secret into a user with both scopes over their repositories, or an operator of JULES_OPERATORS", async () => {
    const { secret } = await signedIn("alice");
    expect(await sessions().resolve(secret)).toMatchObject({ ok: true, principal: { kind: "user", login: "alice", scopes: ["read", "write"], repositories: ["octo-org/app"] } });
    const root = await signedIn("Root");
    expect(await sessions().resolve(root.secret)).toMatchObject({ ok: true, principal: { kind: "operator", login: "root" } });
  });

  it("tells unknown, expired and revoked apart", async () => {
    const s = sessions();
    expect(await s.resolve(randomBytes(32).toString("base64url"))).toEqual({ ok: false, reason: "unknown" });
    expect(await s.resolve("not a secret")).toEqual({ ok: false, reason: "unknown" });
    const { secret } = await signedIn("alice");
    t += 3_600_000;
    try {
      expect(await s.resolve(secret)).toEqual({ ok: false, reason: "expired" });
    } finally {
      t -= 3_600_000;
    }
    expect(await s.signOut(secret)).toBe(true);
    expect(await s.resolve(secret)).toEqual({ ok: false, reason: "revoked" });
    expect(await s.signOut(secret)).toBe(false);
    expect((await accounts.findSession(sessionId(secret)))!.revokedAt).toBe(now().toISOString());
  });

  it("reads the repositories again after five minutes, once for concurrent requests, keeping the old list while GitHub fails", async () => {
    const { secret, session } = await signedIn("alice");
    const s = sessions();
    alice.installations[0]!.repositories = ["octo-org/app", "octo-org/new"];
    t += 4 * 60_000;
    const before = installationCalls();
    expect(await s.resolve(secret)).toMatchObject({ principal: { repositories: ["octo-org/app"] } });
    expect(installationCalls()).toBe(before);

    t += 61_000;
    const all = await Promise.all([s.resolve(secret), s.resolve(secret), s.resolve(secret)]);
    for (const r of all) expect(r).toMatchObject({ principal: { repositories: ["octo-org/app", "octo-org/new"] } });
    expect(installationCalls()).toBe(before + 1);
    expect(await accounts.findSession(session.id)).toMatchObject({ repositories: ["octo-org/app", "octo-org/new"], repositoriesAt: now().toISOString() });

    // GitHub down: the list stays, and GitHub is not asked again for a minute.
    alice.installations[0]!.repositories = ["octo-org/app"];
    t += 5 * 60_000 + 1;
    oauth.failing = { api: "down" };
    try {
      expect(await s.resolve(secret)).toMatchObject({ ok: true, principal: { repositories: ["octo-org/app", "octo-org/new"] } });
      const tried = github.requests.length;
      t += 30_000;
      expect(await s.resolve(secret)).toMatchObject({ ok: true });
      expect(github.requests.length).toBe(tried);
    } finally {
      oauth.failing = {};
    }
    t += 31_000;
    expect(await s.resolve(secret)).toMatchObject({ principal: { repositories: ["octo-org/app"] } });
  });

  it("keeps the list when the sealed token cannot be opened (another key)", async () => {
    const { secret } = await signedIn("alice");
    t += 6 * 60_000;
    const before = github.requests.length;
    expect(await sessions(user, randomBytes(32)).resolve(secret)).toMatchObject({ ok: true, principal: { repositories: ["octo-org/app"] } });
    expect(github.requests.length).toBe(before);
  });
});
