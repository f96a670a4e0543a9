import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { PersonalTokens } from "../../src/access/personal-tokens.ts";
import { resolvePrincipal } from "../../src/access/resolve-principal.ts";
import { testPrivateKey } from "../helpers/keys.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/openjules.js", import.meta.url));

describe("openjules tokens (the real bin, spawned)", () => {
  let dir: string;
  let file: string;
  /** Runs `openjules` in `dir` with the server's settings (and JULES_API_TOKENS unless `tokensFile` is null); never rejects. */
  async function openjules(args: string[], tokensFile: string | null = file) {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: "secret",
      JULES_DATA_DIR: join(dir, "data"),
    };
    if (tokensFile !== null) env.JULES_API_TOKENS = tokensFile;
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir, env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "jules-tokens-cli-"));
    file = join(dir, "tokens.json");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("adds a token, prints it once with how to use it, and keeps only its hash in a 0600 file", async () => {
    const r = await openjules(["tokens", "add", "--login", "octocat", "--scope", "read", "--repo", "Acme/API"]);
    assert.equal(r.code, 0, r.stderr);
    const token = /^ {2}(ojp_[0-9a-f]{12}_\S+)$/m.exec(r.stdout)?.[1];
    assert.ok(token, r.stdout);
    assert.match(r.stdout, /^Token [0-9a-f]{12} for octocat \(scopes read; acme\/api\):/);
    assert.match(r.stdout, /Authorization: Bearer ojp_[0-9a-f]{12}_…/);
    assert.match(r.stdout, /It is shown only now/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.ok(!(await readFile(file, "utf8")).includes(token), "the file holds no token");
    const p = resolvePrincipal(token, { operatorToken: undefined, tokens: new PersonalTokens(file) });
    assert.deepEqual(p.ok && p.principal, { kind: "user", login: "octocat", scopes: ["read"], repositories: ["acme/api"] });
  });

  it("lists tokens without their hash or secret, as a table and as JSON; revoke takes effect on a running reader", async () => {
    const added = await openjules(["tokens", "add", "--login", "hubot", "--json"]);
    assert.equal(added.code, 0, added.stderr);
    const { token, id, scopes, repositories } = JSON.parse(added.stdout);
    assert.deepEqual([scopes, repositories], [["read", "write"], null]);
    const tokens = new PersonalTokens(file);
    assert.equal(resolvePrincipal(token, { operatorToken: undefined, tokens }).ok, true);

    const { hash } = JSON.parse(await readFile(file, "utf8")).tokens.find((t: { id: string }) => t.id === id);
    const list = await openjules(["tokens", "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID +LOGIN +SCOPES +REPOSITORIES +CREATED \(UTC\) +REVOKED \(UTC\)/);
    assert.match(list.stdout, new RegExp(`${id}  hubot +read,write +every repository +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +-`));
    const json = await openjules(["tokens", "list", "--json"]);
    assert.deepEqual(
      JSON.parse(json.stdout).map((t: { login: string }) => t.login),
      ["octocat", "hubot"],
    );
    for (const out of [list.stdout, json.stdout]) {
      assert.ok(!out.includes(hash) && !out.includes(token.slice(17)), "never the hash or the token");
      assert.doesNotMatch(out, /"hash"/);
    }

    const revoked = await openjules(["tokens", "revoke", id]);
    assert.deepEqual([revoked.code, revoked.stdout.trim()], [0, `Revoked token ${id} of hubot.`]);
    const now = new Date().toISOString().slice(0, 10);
    assert.deepEqual(resolvePrincipal(token, { operatorToken: undefined, tokens }), {
      ok: false,
      status: 401,
      message: `this token was revoked on ${now}; ask the operator for a new one`,
    });
    assert.match((await openjules(["tokens", "list"])).stdout, new RegExp(`${id}  hubot .* ${now} \\d\\d:\\d\\d$`, "m"));
    const again = await openjules(["tokens", "revoke", id]);
    assert.deepEqual([again.code, again.stdout.trim()], [0, `Token ${id} of hubot was already revoked on ${now}.`]);
  });

  const mistakes: Array<[string, string[], RegExp]> = [
    ["a bad login", ["tokens", "add", "--login", "not a login"], /^--login must be a GitHub login/],
    ["no login", ["tokens", "add"], /required option '--login <login>' not specified/],
    ["a bad scope", ["tokens", "add", "--login", "octocat", "--scope", "admin"], /^--scope must be read or write, not "admin"/],
    ["a bad repository", ["tokens", "add", "--login", "octocat", "--repo", "acme"], /^--repo must be owner\/name, not "acme"/],
    ["an unknown id", ["tokens", "revoke", "feedfeedfeed"], /^No token has the id "feedfeedfeed"; `openjules tokens list` shows the ids/],
  ];
  it("refuses bad input with a message and exit code 1, changing nothing", async () => {
    const before = await readFile(file, "utf8");
    const results = await Promise.all(mistakes.map(([, args]) => openjules(args)));
    for (const [i, [what, , message]] of mistakes.entries()) {
      assert.equal(results[i]?.code, 1, what);
      assert.match(results[i]?.stderr ?? "", message, what);
    }
    assert.equal(await readFile(file, "utf8"), before);
  });

  it("says how to turn personal tokens on when JULES_API_TOKENS is not set, names a malformed file, and lists none before the first add", async () => {
    const off = await openjules(["tokens", "list", "--json"], null);
    assert.equal(off.code, 1);
    assert.match(JSON.parse(off.stderr).error, /^JULES_API_TOKENS is not set: set it to the path of the token file/);
    const broken = join(dir, "broken.json");
    await writeFile(broken, JSON.stringify({ version: 1, tokens: [{ id: "0123456789ab", login: "octocat" }] }));
    const bad = await openjules(["tokens", "revoke", "0123456789ab"], broken);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`^The token file ${broken} \\(JULES_API_TOKENS\\) is malformed: tokens\\.0\\.scopes .*; \\S*openjules tokens list\\S* checks it`));
    const missing = await openjules(["tokens", "list"], join(dir, "none.json"));
    assert.deepEqual([missing.code, missing.stdout.trim()], [0, `No personal tokens in ${join(dir, "none.json")} (\`openjules tokens add --login <login>\` adds one).`]);
  });
});
