import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "vitest";
import { PersonalTokens } from "../../src/access/personal-tokens.ts";
import { resolvePrincipal } from "../../src/access/resolve-principal.ts";
import { addToken } from "../../src/access/personal-tokens.ts";
import { readTokenFile } from "../../src/access/token-file.ts";
import { createTokenUseCases } from "../../src/accounts/tokens.ts";
import type { Caller } from "../../src/domain/actor.ts";
import type { Result } from "../../src/tasks/control/port.ts";
import { mockAnyTokens, mockInstallations } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { operator, user, withHarness } from "../tasks/control/harness.ts";

const REPOSITORY = "codertocat/hello-world";
const value = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.code}: ${result.error.detail}`);
  return result.value;
};
const error = <T>(result: Result<T>) => {
  assert.equal(result.ok, false, "expected a refusal");
  return (result as Extract<Result<T>, { ok: false }>).error;
};

/** The caller's own personal tokens over the token file (src/access), with the repositories from the real control plane (GitHub mocked). */
describe("account use cases: personal tokens", () => {
  const h = withHarness();
  const setUp = (options: { off?: boolean } = {}) => {
    const path = join(h().app.dataDir, "tokens.json");
    const file = new PersonalTokens(path);
    const tokens = createTokenUseCases({
      tokens: options.off ? null : file,
      repositories: (caller) => h().plane.repositories(caller),
      now: () => new Date("2026-05-01T10:00:00Z"),
    });
    return { path, file, tokens };
  };

  it("creates a token for the caller, shown once and working at once, read+write by default; lists only the caller's own", async () => {
    const { path, file, tokens } = setUp();
    const others = addToken(path, { login: "hubot", scopes: ["read"], repositories: null });
    const made = value(await tokens.create(user("mona", { face: "web" }), { label: "laptop" }));
    assert.deepEqual(made.entry.scopes, ["read", "write"]);
    assert.equal(made.entry.repositories, null);
    assert.equal(made.entry.label, "laptop");
    assert.equal(made.entry.login, "mona");
    assert.ok(!("hash" in made.entry), "the hash is not shown");
    // The file keeps a hash, never the token; the server knows the new token at its next request.
    assert.ok(!JSON.stringify(readTokenFile(path)).includes(made.token.slice(17)));
    const resolved = resolvePrincipal(made.token, { operatorToken: undefined, tokens: file });
    assert.deepEqual(resolved.ok && resolved.principal, { kind: "user", login: "mona", scopes: ["read", "write"], repositories: null });

    const listed = value(await tokens.list(user("Mona")));
    assert.deepEqual(
      listed.tokens.map((t) => t.id),
      [made.entry.id],
    );
    assert.ok(!JSON.stringify(listed).includes(made.token));
    assert.ok(!listed.tokens.some((t) => t.id === others.entry.id));
  });

  it("never reaches further than the caller: scopes it holds, its own repository list, repositories it may use", async () => {
    const { tokens } = setUp();
    const limited = user("mona", { scopes: ["read"], repositories: [REPOSITORY] });
    assert.equal(error(await tokens.create(limited, {})).code, "forbidden", "a read-only token makes no token");
    const writer = user("mona", { repositories: [REPOSITORY] });
    const inherited = value(await tokens.create(writer, { scopes: ["read"] }));
    assert.deepEqual([inherited.entry.scopes, inherited.entry.repositories], [["read"], [REPOSITORY]]);

    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockInstallations(gh, 1, 2);
    gh.role("mona", "write", 2);
    const chosen = value(await tokens.create(user("mona"), { repositories: ["Codertocat/Hello-World"] }));
    assert.deepEqual(chosen.entry.repositories, [REPOSITORY]);
    const refused = error(await tokens.create(user("mona"), { repositories: ["someone/else"] }));
    assert.deepEqual([refused.code, refused.detail.includes("someone/else")], ["not_found", true]);
    assert.equal(error(await tokens.create(user("mona"), { repositories: ["not a repo"] })).code, "invalid");
    gh.assertClean();
  });

  it("revokes only the caller's own token: another's id is not found, a revoked token stops working", async () => {
    const { path, file, tokens } = setUp();
    const hubots = addToken(path, { login: "hubot", scopes: ["read"], repositories: null });
    const mine = value(await tokens.create(user("mona"), {}));
    const other = error(await tokens.revoke(user("mona"), hubots.entry.id));
    assert.equal(other.code, "not_found");
    assert.equal(readTokenFile(path).find((t) => t.id === hubots.entry.id)?.revokedAt, null);
    assert.equal(error(await tokens.revoke(user("mona"), "../../etc")).code, "not_found");

    const revoked = value(await tokens.revoke(user("mona"), mine.entry.id));
    assert.equal(revoked.entry.revokedAt, "2026-05-01T10:00:00.000Z");
    const after = resolvePrincipal(mine.token, { operatorToken: undefined, tokens: file });
    assert.equal(after.ok, false);
    assert.equal(value(await tokens.revoke(user("mona"), mine.entry.id)).entry.revokedAt, "2026-05-01T10:00:00.000Z", "again: the same answer");
  });

  it("has no account for the operator token; a signed-in operator has their own login's tokens", async () => {
    const { tokens } = setUp();
    const refused = error(await tokens.list(operator("api")));
    assert.equal(refused.code, "invalid");
    assert.match(refused.detail, /operator token has no user.*openjules tokens add --login/);
    const signedIn: Caller = { principal: { kind: "operator", login: "octo-admin" }, face: "web" };
    const made = value(await tokens.create(signedIn, { scopes: ["read"] }));
    assert.deepEqual([made.entry.login, made.entry.repositories], ["octo-admin", null]);
    assert.deepEqual(
      value(await tokens.list(signedIn)).tokens.map((t) => t.id),
      [made.entry.id],
    );
  });

  it("says personal tokens are off, naming the setting, when JULES_API_TOKENS is not set", async () => {
    const { tokens } = setUp({ off: true });
    const results: Result<unknown>[] = [await tokens.list(user("mona")), await tokens.create(user("mona"), {}), await tokens.revoke(user("mona"), "0123456789ab")];
    for (const result of results) {
      const refused = error(result);
      assert.deepEqual([refused.code, refused.title], ["conflict", "Personal tokens are off"]);
      assert.match(refused.detail, /JULES_API_TOKENS/);
    }
  });
});
