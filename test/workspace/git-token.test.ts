import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { basicAuthHeader, git, GitError } from "../../src/workspace/git.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { spyOnGit } from "../helpers/git/spy.ts";
import { BASE_COMMITS, tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * The installation token reaches git only through the environment of the
 * command that needs it: never argv (what `ps` and /proc/<pid>/cmdline show),
 * and never an error message, even when the server echoes the credentials.
 */

const OLD = "ghs_expiredTokenBBBBBBBBBBBBBBBBBBBBBBBBBB";
const NEW = "ghs_refreshedTokenCCCCCCCCCCCCCCCCCCCCCCCCC";
const secretsOf = (token: string) => [token, basicAuthHeader(token), basicAuthHeader(token).slice(6), encodeURIComponent(token)];

function assertClean(text: string, tokens: string[]): void {
  for (const token of tokens) for (const secret of secretsOf(token)) assert.ok(!text.includes(secret), `a form of the token in:\n${text}`);
}

describe("workspace git: the token", () => {
  let server: GitServer;
  let url: string;
  let repo: string;
  beforeAll(async () => {
    server = await startGitServer({ tokens: [NEW] });
    url = await server.createRepo("acme", "widget", BASE_COMMITS);
    repo = await tempDir("openjules-git-token-");
    await git(["init", "--quiet", repo], { cwd: repo });
    await git(["commit", "--quiet", "--allow-empty", "-m", "local"], {
      cwd: repo,
      env: { GIT_AUTHOR_NAME: "J", GIT_AUTHOR_EMAIL: "j@example.com", GIT_COMMITTER_NAME: "J", GIT_COMMITTER_EMAIL: "j@example.com" },
    });
  });
  afterAll(async () => server.close());

  it("a push refused for an expired token is retried with the refreshed one; neither is ever in argv, each only in its command's environment", async () => {
    const spy = await spyOnGit();
    const tokens = [OLD, NEW];
    try {
      await git(["push", "--quiet", url, "HEAD:refs/heads/pushed"], { cwd: repo, auth: { remoteUrl: url, token: async () => tokens.shift() ?? NEW } });
      const calls = await spy.calls();
      assert.equal(calls.length, 2, "one refused push, one retried push");
      for (const call of calls) {
        assert.deepEqual(call.argv, ["push", "--quiet", url, "HEAD:refs/heads/pushed"]);
        assertClean(call.argv.join("\n"), [OLD, NEW]);
      }
      const headers = calls.map((call) => /^GIT_CONFIG_VALUE_\d+=Authorization: (.*)$/m.exec(call.env)?.[1]).sort();
      assert.deepEqual(headers, [basicAuthHeader(OLD), basicAuthHeader(NEW)].sort());
      assert.ok(server.requests.some((r) => r.service === "git-receive-pack" && r.token === NEW && r.status === 200));
    } finally {
      await spy.restore();
    }
    assert.equal(
      (await git(["ls-remote", url, "refs/heads/pushed"], { cwd: repo, auth: { remoteUrl: url, token: async () => NEW } })).stdout.split("\t")[1]?.trim(),
      "refs/heads/pushed",
    );
  });

  describe("a server that echoes the credentials it was sent", () => {
    let echo: Server;
    let echoUrl: string;
    beforeAll(async () => {
      echo = createServer((req, res) => {
        const header = req.headers.authorization;
        if (!header) return void res.writeHead(401, { "WWW-Authenticate": 'Basic realm="echo"', "Content-Type": "text/plain" }).end("Authentication required\n");
        const decoded = Buffer.from(header.replace(/^Basic /, ""), "base64").toString();
        const token = decoded.split(":")[1] ?? "";
        // git shows a text/plain error body as "remote: ..." lines
        res.writeHead(403, { "Content-Type": "text/plain" }).end(`Bad credentials: ${header} = ${decoded}\nToken ${token} (${encodeURIComponent(token)}) is invalid\n`);
      });
      await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
      echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/acme/widget.git`;
    });
    afterAll(async () => new Promise<void>((resolve) => echo.close(() => resolve())));

    for (const [name, args] of [
      ["push", (u: string) => ["push", u, "HEAD:refs/heads/x"]],
      ["ls-remote", (u: string) => ["ls-remote", u]],
      ["fetch", (u: string) => ["fetch", u, "refs/heads/main"]],
    ] as const) {
      it(`a failing ${name}: the error carries git's words and the server's, but no form of either token`, async () => {
        const tokens = [OLD, NEW];
        const error = await git(args(echoUrl), { cwd: repo, auth: { remoteUrl: echoUrl, token: async () => tokens.shift() ?? NEW } }).catch((e: unknown) => e);
        assert.ok(error instanceof GitError, String(error));
        assert.match(error.message, /remote: Bad credentials: Basic \*\*\* = x-access-token:\*\*\*/);
        assert.match(error.stderr, /returned error: 403/);
        assert.ok(error.authFailed);
        for (const text of [error.message, error.stderr, error.args.join(" "), String(error), JSON.stringify(error), error.stack ?? ""]) assertClean(text, [OLD, NEW]);
      });
    }
  });

  it("a command without auth gets no token in its environment", async () => {
    const spy = await spyOnGit();
    try {
      await git(["status", "--short"], { cwd: join(repo) });
      const [call] = await spy.calls();
      assert.ok(call && !/extraheader|authorization/i.test(call.env), call?.env);
    } finally {
      await spy.restore();
    }
  });
});
