import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { addToken } from "../../src/access/personal-tokens.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { CAPS } from "../tasks/control/harness.ts";
import { apiFixture, type ApiFixture, problemOf } from "./fixture.ts";

const SETTINGS = "/api/v1/repos/Codertocat/Hello-World/settings";

/** GitHub as the settings route reads it: the app's installation, the repository, its jules.yml (null: none). */
function repository(yaml: string | null): GitHubMock {
  const gh = new GitHubMock();
  mockRepoInstallation(gh, 1);
  mockRepository(gh);
  gh.config(yaml);
  return gh;
}

/** What the New task page shows before a start, over real HTTP: the models, and a repository's effective settings. */
describe("/api/v1 models and repository settings", () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await apiFixture({ control: { defaultModel: "openai:gpt-5" } });
    mockAnyTokens(new GitHubMock());
  });
  afterAll(async () => {
    await api.close();
    GitHubMock.reset();
  });

  it("lists the default model and JULES_ALLOWED_MODELS to any caller", async () => {
    const { token } = addToken(api.tokenFile, { login: "mona", scopes: ["read"], repositories: ["codertocat/other"] });
    for (const as of [undefined, token]) {
      const res = await api.request("/api/v1/models", as ? { token: as } : {});
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { default: "openai:gpt-5", allowed: ["openai:gpt-5-mini"] });
    }
    assert.equal((await api.request("/api/v1/models", { token: null })).status, 401);
  });

  it("answers the repository's jules.yml with each budget capped by the operator's limit", async () => {
    const gh = repository(
      [
        "command: bot",
        "approval: auto",
        "approvers: others",
        "provider: anthropic",
        "model: claude-sonnet-4-5",
        "budgets:",
        "  max_turns: 100",
        "  max_cost_usd: 2",
        "  max_minutes: 10",
        "",
      ].join("\n"),
    );
    const res = await api.request(SETTINGS);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      approval: "auto",
      approvers: "others",
      budgets: { maxTurns: CAPS.maxTurns, maxTokens: CAPS.maxTokens, maxCostUsd: 2, maxMinutes: 10 },
      model: "anthropic:claude-sonnet-4-5",
      command: "bot",
    });
    gh.assertClean();
  });

  it("answers the defaults without a jules.yml: approval required, the operator's caps and model; a model alone keeps the operator's provider", async () => {
    let gh = repository(null);
    assert.deepEqual(await (await api.request(SETTINGS)).json(), {
      approval: "required",
      approvers: "writers",
      budgets: CAPS,
      model: "openai:gpt-5",
      command: "jules",
    });
    gh.assertClean();
    gh = repository("model: gpt-5-mini\n");
    assert.equal(((await (await api.request(SETTINGS)).json()) as { model: string }).model, "openai:gpt-5-mini");
    gh.assertClean();
  });

  it("names the file and its problems when jules.yml is invalid (409)", async () => {
    const gh = repository("approval: sometimes\nbudgets:\n  max_turns: lots\n");
    const res = await api.request(SETTINGS);
    assert.equal(res.status, 409);
    const problem = await problemOf(res);
    assert.equal(problem.title, "Repository settings invalid");
    assert.match(problem.detail, /^\.github\/jules\.yml of Codertocat\/Hello-World is invalid: /);
    assert.match(problem.detail, /approval: text "sometimes" is not an allowed value \(expected [^)]*required[^)]*\)/);
    assert.match(problem.detail, /budgets\.max_turns: wrong type: found text "lots"/);
    gh.assertClean();
  });

  it("follows the read rule: a reader gets them, a user who cannot see the repository and a repository without the app are not found", async () => {
    const { token } = addToken(api.tokenFile, { login: "mona", scopes: ["read"], repositories: null });
    let gh = repository(null);
    gh.role("mona", "read");
    assert.equal((await api.request(SETTINGS, { token })).status, 200);
    gh.assertClean();
    gh = new GitHubMock();
    mockRepoInstallation(gh, 1);
    mockRepository(gh);
    gh.role("mona", "none");
    const hidden = await api.request(SETTINGS, { token });
    assert.equal(hidden.status, 404);
    assert.equal((await problemOf(hidden)).title, "Repository not found");
    gh.assertClean();
    gh = new GitHubMock("Codertocat", "nothing-here");
    mockRepoInstallation(gh, null);
    assert.equal((await api.request("/api/v1/repos/Codertocat/nothing-here/settings")).status, 404);
    assert.equal((await api.request("/api/v1/repos/Codertocat/bad name/settings")).status, 400);
    gh.assertClean();
  });
});
