import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { addToken, revokeToken } from "../../src/access/personal-tokens.ts";
import { readTokenFile, TokenFileError } from "../../src/access/token-file.ts";

describe("the personal token file", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "jules-tokens-"));
    path = join(dir, "tokens.json");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("holds no tokens before the first add, then a hash but never the token, written 0600 with no temporary file left", async () => {
    assert.deepEqual(readTokenFile(path), []);
    const { token, entry } = addToken(path, { login: "octocat", scopes: ["read"], repositories: ["Acme/API", "acme/api"] });
    assert.match(token, new RegExp(`^ojp_${entry.id}_[A-Za-z0-9_-]{43}$`));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ["tokens.json"]);
    const [read] = readTokenFile(path);
    assert.deepEqual(read, entry);
    assert.deepEqual(read?.repositories, ["acme/api"], "lower-cased, once");
    assert.equal(read?.lastFour, token.slice(-4));
    assert.ok(!JSON.stringify(read).includes(token.slice(17)), "the secret part is not stored");
  });

  it("revokes by id, keeping the entry, and says when it was already revoked or never existed", () => {
    const { entry } = addToken(path, { login: "octocat", scopes: ["read", "write"], repositories: null });
    const first = revokeToken(path, entry.id, new Date("2026-05-01T10:00:00Z"));
    assert.deepEqual([first?.already, first?.entry.revokedAt], [false, "2026-05-01T10:00:00.000Z"]);
    assert.equal(revokeToken(path, entry.id)?.already, true);
    assert.equal(revokeToken(path, "000000000000"), null);
    assert.equal(revokeToken(path, "not an id"), null);
    assert.equal(readTokenFile(path)[0]?.revokedAt, "2026-05-01T10:00:00.000Z");
  });

  it("waits for a change another process is making, then gives up naming the lock, changing nothing", async () => {
    addToken(path, { login: "octocat", scopes: ["read"], repositories: null });
    const before = await readFile(path, "utf8");
    await writeFile(`${path}.lock`, "");
    const started = Date.now();
    assert.throws(
      () => addToken(path, { login: "hubot", scopes: ["read"], repositories: null }),
      (error: unknown) => error instanceof TokenFileError && error.message.includes(`is being changed by another process (${path}.lock exists)`),
    );
    assert.ok(Date.now() - started >= 4_000, "it waited for the other change");
    assert.equal(await readFile(path, "utf8"), before);
  }, 15_000);

  it("takes over a lock left by a process that died mid-change, and leaves none behind", async () => {
    await writeFile(`${path}.lock`, "");
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    addToken(path, { login: "octocat", scopes: ["read"], repositories: null });
    assert.deepEqual(await readdir(dir), ["tokens.json"]);
  });

  const malformed: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{ tokens: [", /is not valid JSON/],
    ["a bare list", [], /is malformed: the whole file/],
    ["an unknown field", { version: 1, tokens: [], extra: true }, /Unrecognized key.*extra/],
    ["a bad login", { version: 1, tokens: [entry({ login: "-no-" })] }, /tokens\.0\.login must be a GitHub login/],
    ["an upper-case repository", { version: 1, tokens: [entry({ repositories: ["Acme/api"] })] }, /tokens\.0\.repositories\.0 must be owner\/name in lower case/],
    ["an unknown scope", { version: 1, tokens: [entry({ scopes: ["admin"] })] }, /tokens\.0\.scopes\.0/],
    ["a duplicate id", { version: 1, tokens: [entry({}), entry({})] }, /tokens\.1\.id repeats the id 0123456789ab/],
  ];
  for (const [what, content, problem] of malformed) {
    it(`refuses a file with ${what}, naming the file and the problem`, async () => {
      await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
      assert.throws(
        () => readTokenFile(path),
        (error: unknown) => error instanceof TokenFileError && error.message.includes(path) && problem.test(error.message),
      );
    });
  }
});

function entry(over: Record<string, unknown>) {
  return { id: "0123456789ab", login: "octocat", scopes: ["read"], repositories: null, hash: "a".repeat(64), createdAt: "2026-01-01T00:00:00.000Z", revokedAt: null, ...over };
}
