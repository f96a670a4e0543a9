import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "vitest";
import { addToken } from "../../src/access/personal-tokens.ts";
import { readTokenFile } from "../../src/access/token-file.ts";
import { open } from "../../src/security/sealed.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { Conformance, type OpenApi } from "./conformance.ts";
import { apiFixture, type ApiFixture, postJson as json, problemOf, SECRET_KEY } from "./fixture.ts";

const API_KEY = "sk-proj-monas-own-key-0123456789abcdefghijklmnopqrstuvwxyzWXYZ";

/** /api/v1/me/tokens and /me/keys over real HTTP: a personal token's user manages their own; the operator token has none. */
describe("the account routes of /api/v1", () => {
  let api: ApiFixture;
  let conformance: Conformance;
  let mona: string;
  const check = (op: string, res: Response) => conformance.check(op, res);
  beforeEach(async () => {
    api = await apiFixture();
    conformance = new Conformance((await (await api.request("/api/v1/openapi.json", { token: null })).json()) as OpenApi);
    mona = addToken(api.tokenFile, { login: "mona", scopes: ["read", "write"], repositories: null }).token;
  });
  afterEach(async () => {
    await api.close();
    GitHubMock.reset();
  });

  it("lets a personal token's user list, create (shown once) and revoke their own tokens; a revoked one is refused at once", async () => {
    addToken(api.tokenFile, { login: "hubot", scopes: ["read"], repositories: null });
    const listed = (await check("GET /api/v1/me/tokens", await api.request("/api/v1/me/tokens", { token: mona }))) as { tokens: { id: string; login: string }[] };
    assert.deepEqual(
      listed.tokens.map((t) => t.login),
      ["mona"],
    );
    const made = (await check("POST /api/v1/me/tokens", await api.request("/api/v1/me/tokens", { ...json({ scopes: ["read"], label: "ci" }), token: mona }))) as {
      token: string;
      entry: { id: string; scopes: string[]; label: string; lastFour: string };
    };
    assert.deepEqual([made.entry.scopes, made.entry.label, made.entry.lastFour], [["read"], "ci", made.token.slice(-4)]);
    assert.ok(!JSON.stringify(readTokenFile(api.tokenFile)).includes(made.token.slice(17)), "the file keeps a hash only");
    const again = (await (await api.request("/api/v1/me/tokens", { token: made.token })).json()) as { tokens: { id: string; hash?: string }[] };
    assert.equal(again.tokens.length, 2, "the new token works at once and sees the user's tokens");
    assert.ok(again.tokens.every((t) => t.hash === undefined));
    // A read-only token may list, not create or revoke.
    const readOnly = await api.request("/api/v1/me/tokens", { ...json({}), token: made.token });
    assert.equal((await problemOf(readOnly)).status, 403);

    const hubots = readTokenFile(api.tokenFile).find((t) => t.login === "hubot")!;
    const others = await api.request(`/api/v1/me/tokens/${hubots.id}/revoke`, { method: "POST", token: mona });
    assert.equal((await problemOf(others)).status, 404, "another's token is not found");
    const revoked = (await check("POST /api/v1/me/tokens/{tokenId}/revoke", await api.request(`/api/v1/me/tokens/${made.entry.id}/revoke`, { method: "POST", token: mona }))) as {
      entry: { revokedAt: string | null };
    };
    assert.ok(revoked.entry.revokedAt);
    const refused = await api.request("/api/v1/me/tokens", { token: made.token });
    assert.equal(refused.status, 401);
    assert.match((await problemOf(refused)).detail, /revoked/);
    assert.equal((await problemOf(await api.request("/api/v1/me/tokens", { ...json({ scopes: ["admin"] }), token: mona }))).status, 400);
  });

  it("saves, lists (last four only) and deletes a user's provider key; the key never comes back and is sealed in the store", async () => {
    const saved = await check("POST /api/v1/me/keys", await api.request("/api/v1/me/keys", { ...json({ provider: "openai", apiKey: API_KEY }), token: mona }));
    assert.deepEqual(Object.keys(saved as object).sort(), ["createdAt", "last4", "provider"]);
    assert.equal((saved as { last4: string }).last4, "WXYZ");
    const stored = await api.h.app.deps.store.accounts.getUserKey("mona", "openai");
    assert.ok(stored && !stored.sealed.includes(API_KEY) && open(stored.sealed, SECRET_KEY) === API_KEY);
    const listedRes = await api.request("/api/v1/me/keys", { token: mona });
    const text = await listedRes.clone().text();
    assert.ok(!text.includes(API_KEY.slice(0, 20)));
    const listed = (await check("GET /api/v1/me/keys", listedRes)) as { enabled: boolean; keys: { provider: string; last4: string }[] };
    assert.deepEqual([listed.enabled, listed.keys.map((k) => `${k.provider} ${k.last4}`)], [true, ["openai WXYZ"]]);

    assert.deepEqual(await check("POST /api/v1/me/keys/{provider}/delete", await api.request("/api/v1/me/keys/openai/delete", { method: "POST", token: mona })), { deleted: true });
    assert.equal(
      ((await check("POST /api/v1/me/keys/{provider}/delete", await api.request("/api/v1/me/keys/openai/delete", { method: "POST", token: mona }))) as { status: number }).status,
      404,
    );
    assert.equal((await problemOf(await api.request("/api/v1/me/keys/bedrock/delete", { method: "POST", token: mona }))).status, 400);
    const unknown = await api.request("/api/v1/me/keys", { ...json({ provider: "openai", apiKey: API_KEY, extra: 1 }), token: mona });
    assert.equal(unknown.status, 400);
    assert.ok(!(await unknown.text()).includes(API_KEY), "a refused body does not echo the key");
    assert.deepEqual(api.errors, []);
  });

  it("refuses the operator token on every /me route: it has no user", async () => {
    const routes: [string, RequestInit][] = [
      ["/api/v1/me/tokens", {}],
      ["/api/v1/me/tokens", json({})],
      ["/api/v1/me/tokens/0123456789ab/revoke", { method: "POST" }],
      ["/api/v1/me/keys", {}],
      ["/api/v1/me/keys", json({ provider: "openai", apiKey: API_KEY })],
      ["/api/v1/me/keys/openai/delete", { method: "POST" }],
    ];
    for (const [path, init] of routes) {
      const problem = await problemOf(await api.request(path, init));
      assert.deepEqual([path, problem.status, problem.title], [path, 400, "No user"]);
      assert.match(problem.detail, /operator token has no user/);
    }
  });
});

describe("the account routes when the operator allows no provider keys", () => {
  it("answers enabled: false, and 409 naming JULES_ALLOW_USER_KEYS to a save", async () => {
    const api = await apiFixture({ allowUserKeys: false });
    try {
      const mona = addToken(api.tokenFile, { login: "mona", scopes: ["read", "write"], repositories: null }).token;
      assert.deepEqual(await (await api.request("/api/v1/me/keys", { token: mona })).json(), { enabled: false, keys: [] });
      const refused = await problemOf(await api.request("/api/v1/me/keys", { ...json({ provider: "anthropic", apiKey: API_KEY }), token: mona }));
      assert.equal(refused.status, 409);
      assert.match(refused.detail, /JULES_ALLOW_USER_KEYS/);
      assert.equal(await api.h.app.deps.store.accounts.getUserKey("mona", "anthropic"), null);
    } finally {
      await api.close();
    }
  });
});
