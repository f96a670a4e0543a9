import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { addToken, PersonalTokens, revokeToken } from "../../src/access/personal-tokens.ts";
import { resolvePrincipal } from "../../src/access/resolve-principal.ts";
import { TokenFileError } from "../../src/access/token-file.ts";

const OPERATOR = "operator-token-0123456789";

describe("resolvePrincipal", () => {
  let dir: string;
  let path: string;
  let tokens: PersonalTokens;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "jules-resolve-"));
    path = join(dir, "tokens.json");
    tokens = new PersonalTokens(path);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("knows the operator token, and nobody without a token or with a wrong one", () => {
    assert.deepEqual(resolvePrincipal(OPERATOR, { operatorToken: OPERATOR, tokens }), { ok: true, principal: { kind: "operator" } });
    const none = resolvePrincipal(null, { operatorToken: OPERATOR, tokens });
    assert.ok(!none.ok && none.status === 401 && /Authorization: Bearer/.test(none.message));
    const wrong = resolvePrincipal(`${OPERATOR}x`, { operatorToken: OPERATOR, tokens });
    assert.ok(!wrong.ok && wrong.status === 401 && /not valid on this server/.test(wrong.message));
    assert.equal(resolvePrincipal(OPERATOR, { operatorToken: undefined, tokens }).ok, false, "no operator token: the operator's old token is nobody");
  });

  it("maps a personal token to its user, scopes and repositories", () => {
    const { token, entry } = addToken(path, { login: "octocat", scopes: ["read"], repositories: ["acme/api"] });
    assert.deepEqual(resolvePrincipal(token, { operatorToken: OPERATOR, tokens }), {
      ok: true,
      tokenId: entry.id,
      principal: { kind: "user", login: "octocat", scopes: ["read"], repositories: ["acme/api"] },
    });
  });

  it("refuses an unknown token of the right shape (a changed secret) and says so", () => {
    const { token } = addToken(path, { login: "octocat", scopes: ["read"], repositories: null });
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const r = resolvePrincipal(forged, { operatorToken: OPERATOR, tokens });
    assert.ok(!r.ok && r.status === 401 && /^unknown token/.test(r.message), JSON.stringify(r));
  });

  it("refuses a token revoked while the server runs, from the next request on, with the date", () => {
    const { token, entry } = addToken(path, { login: "octocat", scopes: ["read", "write"], repositories: null });
    assert.equal(resolvePrincipal(token, { operatorToken: OPERATOR, tokens }).ok, true);
    revokeToken(path, entry.id, new Date("2026-04-02T08:00:00Z"));
    assert.deepEqual(resolvePrincipal(token, { operatorToken: OPERATOR, tokens }), {
      ok: false,
      status: 401,
      message: "this token was revoked on 2026-04-02; ask the operator for a new one",
    });
  });

  it("picks up a token added after the server read the file", () => {
    addToken(path, { login: "a", scopes: ["read"], repositories: null });
    assert.equal(tokens.entries().length, 1);
    const { token } = addToken(path, { login: "b", scopes: ["read"], repositories: null });
    assert.equal(resolvePrincipal(token, { operatorToken: OPERATOR, tokens }).ok, true);
  });

  it("answers 503 for personal tokens while the file is malformed (never 'no tokens'), and the operator still gets in", async () => {
    const { token } = addToken(path, { login: "octocat", scopes: ["read"], repositories: null });
    await writeFile(path, "{ broken");
    const r = resolvePrincipal(token, { operatorToken: OPERATOR, tokens });
    assert.ok(!r.ok && r.status === 503 && /token file is malformed/.test(r.message), JSON.stringify(r));
    assert.equal(resolvePrincipal(OPERATOR, { operatorToken: OPERATOR, tokens }).ok, true);
    assert.throws(() => tokens.entries(), TokenFileError, "start-up can fail early on it");
  });

  it("says personal tokens are off when JULES_API_TOKENS is not set", () => {
    const { token } = addToken(path, { login: "octocat", scopes: ["read"], repositories: null });
    const r = resolvePrincipal(token, { operatorToken: OPERATOR, tokens: null });
    assert.ok(!r.ok && /personal tokens are off on this server \(JULES_API_TOKENS is not set\)/.test(r.message));
  });
});
