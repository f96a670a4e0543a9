import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { authorize, decide, visibleRepositories, type Action } from "../../src/access/decide.ts";
import { addToken, PersonalTokens } from "../../src/access/personal-tokens.ts";
import { resolvePrincipal } from "../../src/access/resolve-principal.ts";
import type { Principal, TokenScope } from "../../src/domain/actor.ts";
import type { GitHubGateway } from "../../src/github/port.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

const OPERATOR = "operator-token-0123456789";
const REPO = { owner: "Codertocat", repo: "Hello-World" };
const FULL = "codertocat/hello-world";

/**
 * The permission matrix of issue 11: a token resolved from a real token file,
 * the user's role looked up through the real GitHub gateway of the
 * composition root (GitHub's collaborator-permission endpoint mocked over
 * HTTP), then the access rule.
 */
describe("who may do what through a token", () => {
  let app: TestApp;
  let gateway: GitHubGateway | undefined;
  let dir: string;
  let tokens: PersonalTokens;
  beforeAll(async () => {
    app = await startTestApp({ startWorker: false });
    dir = await mkdtemp(join(tmpdir(), "jules-matrix-"));
    tokens = new PersonalTokens(join(dir, "tokens.json"));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => GitHubMock.reset());

  function tokenOf(login: string, scopes: TokenScope[] = ["read", "write"], repositories: string[] | null = null): Principal {
    const { token } = addToken(tokens.path, { login, scopes, repositories });
    const r = resolvePrincipal(token, { operatorToken: OPERATOR, tokens });
    assert.ok(r.ok);
    return r.principal;
  }

  /** The decision for one action on Codertocat/Hello-World, with the role served by GitHub when (and only when) it is asked. */
  async function check(principal: Principal, action: Action, role: string | null) {
    const gh = new GitHubMock();
    if (role !== null && principal.kind === "user") {
      if (!gateway) gh.token(); // the installation token is fetched once, then cached
      gh.role(principal.login, role);
    }
    const decision = await authorize(principal, action, FULL, async () => {
      gateway ??= await app.deps.github.forInstallation(1);
      return gateway.role(REPO, (principal as { login: string }).login);
    });
    gh.assertClean();
    GitHubMock.reset();
    return decision;
  }

  it("lets the operator token do everything, without asking GitHub", async () => {
    const r = resolvePrincipal(OPERATOR, { operatorToken: OPERATOR, tokens });
    assert.ok(r.ok && r.principal.kind === "operator" && r.tokenId === undefined);
    for (const action of ["read", "write"] as const) assert.deepEqual(await check(r.principal, action, null), { allowed: true });
  });

  const matrix: Array<[role: string, read: boolean, write: boolean]> = [
    ["admin", true, true],
    ["maintain", true, true],
    ["write", true, true],
    ["triage", true, false],
    ["read", true, false],
    ["none", false, false],
  ];
  for (const [role, read, write] of matrix) {
    it(`gives a personal token of a user with role ${role} read ${read ? "yes" : "no"}, write ${write ? "yes" : "no"}, like a comment of that user`, async () => {
      const principal = tokenOf(`user-${role}`);
      const r = await check(principal, "read", role);
      const w = await check(principal, "write", role);
      assert.equal(r.allowed, read);
      assert.equal(w.allowed, write);
      if (!read) assert.ok(!r.allowed && r.status === 404 && r.message.includes(`user-${role} has no access to it on GitHub`), JSON.stringify(r));
      if (read && !write) {
        assert.deepEqual(w, {
          allowed: false,
          status: 403,
          message: `user-${role} has the ${role} role on ${FULL}; changing tasks needs write, maintain or admin (as a /jules comment does): a repository admin can grant it`,
        });
      }
    });
  }

  it("refuses a read-only token's write with 403 even for an admin, without asking GitHub", async () => {
    const principal = tokenOf("boss", ["read"]);
    assert.equal((await check(principal, "read", "admin")).allowed, true);
    const w = await check(principal, "write", null);
    assert.ok(!w.allowed && w.status === 403 && /only the read scope; to write it needs the write scope/.test(w.message), JSON.stringify(w));
  });

  it("refuses a token scoped to another repository with 404, naming the token's repositories, without asking GitHub", async () => {
    const principal = tokenOf("boss", ["read", "write"], ["acme/api"]);
    for (const action of ["read", "write"] as const) {
      const d = await check(principal, action, null);
      assert.deepEqual(d, {
        allowed: false,
        status: 404,
        message: `${FULL} is not available to this token of boss (it is limited to acme/api); ask the operator for a token that includes it`,
      });
    }
    assert.equal(decide(principal, "write", "Acme/API", "admin").allowed, true, "repository names compare case-insensitively");
  });

  it("shows a user only the repositories the token and their roles allow", () => {
    const repos = [
      { repository: "acme/api", role: "read" },
      { repository: "acme/web", role: "admin" },
      { repository: "acme/secret", role: "none" },
      { repository: "acme/gone", role: null },
    ];
    assert.deepEqual(
      visibleRepositories(tokenOf("dev"), repos).map((r) => r.repository),
      ["acme/api", "acme/web"],
    );
    assert.deepEqual(
      visibleRepositories(tokenOf("dev", ["read"], ["acme/web"]), repos).map((r) => r.repository),
      ["acme/web"],
    );
    assert.equal(visibleRepositories({ kind: "operator" }, repos).length, 4);
  });
});
