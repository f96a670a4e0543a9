import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { problemsFromLoadError } from "../../src/config/load-error.ts";
import { validateRepoConfig } from "../../src/config/load.ts";

/** Probot's own Octokit (with its config plugin) talking to GitHub mocked by nock. */
const octokit = new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } });
const API = "https://api.github.com";
/** GitHub serves `mediaType: raw` file contents as text/plain; charset=utf-8. */
const FILE = "/repos/acme/app/contents/.github%2Fjules.yml";

async function loadError(body: string, contentType = "text/plain; charset=utf-8"): Promise<unknown> {
  nock(API).get(FILE).reply(200, body, { "content-type": contentType });
  try {
    await octokit.config.get({ owner: "acme", repo: "app", path: ".github/jules.yml" });
  } catch (error) {
    return error;
  }
  assert.fail("the config loader should have thrown");
}

describe("problemsFromLoadError", () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("explains invalid YAML with the parser's position", async () => {
    const problems = problemsFromLoadError(await loadError("approval: [required\ndraft: true\n"));
    assert.equal(problems?.length, 1);
    assert.equal(problems?.[0]?.key, "(file)");
    assert.match(problems?.[0]?.message ?? "", /^not valid YAML: .* at line 2, column 1$/);
    assert.equal(problems?.[0]?.expected, "a YAML mapping of settings, e.g. `approval: required`");
  });

  it("explains a file that is plain text", async () => {
    assert.deepEqual(problemsFromLoadError(await loadError("just some words\n")), [
      { key: "(file)", message: "the file holds plain text, not settings", expected: "a YAML mapping of settings, e.g. `approval: required`" },
    ]);
  });

  it("explains a path that is a directory", async () => {
    const problems = problemsFromLoadError(await loadError("[]", "application/json; charset=utf-8"));
    assert.equal(problems?.[0]?.message, "the path is a directory or a submodule, not a file");
  });

  it("leaves errors that are not the file's fault alone", async () => {
    nock(API).get(FILE).reply(500, { message: "Server Error" });
    const error = await octokit.config.get({ owner: "acme", repo: "app", path: ".github/jules.yml" }).catch((e: unknown) => e);
    assert.equal(problemsFromLoadError(error), null);
    assert.equal(problemsFromLoadError(new Error("boom")), null);
    assert.equal(problemsFromLoadError("not an error"), null);
  });

  it("hands a valid file to validateRepoConfig with _extends already resolved", async () => {
    nock(API)
      .get(FILE)
      .reply(200, "_extends: .github\napproval: auto\n", { "content-type": "text/plain; charset=utf-8" })
      .get("/repos/acme/.github/contents/.github%2Fjules.yml")
      .reply(200, "approvers: others\ncommand: bot\n", { "content-type": "text/plain; charset=utf-8" });
    const { config } = await octokit.config.get({ owner: "acme", repo: "app", path: ".github/jules.yml" });
    const result = validateRepoConfig(config);
    assert.ok(result.ok);
    assert.equal(result.config.approval, "auto");
    assert.equal(result.config.approvers, "others");
    assert.equal(result.config.command, "bot");
    assert.ok(nock.isDone());
  });
});
