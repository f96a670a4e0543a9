import assert from "node:assert/strict";
import { beforeEach, describe, it } from "vitest";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { mockAnyTokens, mockBranches, mockCompareDiff, mockInstallations, mockRepoInstallation, mockRepository } from "../../helpers/github-app-mock.ts";
import { OWNER, REPO, operator, taskIn, user, withHarness } from "./harness.ts";

const REPOSITORY = `${OWNER}/${REPO}`;

/** create (installation, issue, model, idempotency), retry, diff, repositories and branches. */
describe("control plane: creating and retrying tasks", () => {
  const h = withHarness({ allowedModels: ["openai:gpt-5-mini", "claude-sonnet-4"] });
  let gh: GitHubMock;
  beforeEach(async () => {
    gh = new GitHubMock();
    mockAnyTokens(gh);
  });

  /** The app's installation and the repository, then its jules.yml: what a create looks up. */
  const installed = (times = 1) => {
    mockRepoInstallation(gh, 2, times);
    mockRepository(gh, { defaultBranch: "trunk" }, times);
    gh.config(null, times);
  };

  it("creates a task without an issue on the default branch, queued for planning, with no comment anywhere", async () => {
    installed();
    gh.role("mona", "write");
    const made = await h().plane.create(user("mona", { face: "web" }), { repository: REPOSITORY, instruction: "add a --json flag\nto the CLI", model: "openai:gpt-5-mini" });
    assert.ok(made.ok, made.ok ? "" : made.error.detail);
    const { task, created } = made.value;
    assert.equal(created, true);
    assert.deepEqual(
      [task.issueNumber, task.baseBranch, task.face, task.requestedBy, task.model, task.issueTitle, task.statusCommentId, task.installationId],
      [null, "trunk", "web", "mona", "openai:gpt-5-mini", "add a --json flag", null, 2],
    );
    assert.deepEqual(
      (await h().deps.store.history(task.id)).map((e) => [e.to, e.actor]),
      [["queued", "mona"]],
    );
    assert.equal(await h().app.queue.depth(), 1);
    assert.deepEqual(gh.posted(), []);
    gh.assertClean();
  });

  it("creates a task in an issue as /jules there would: its title, and the status comment in the thread", async () => {
    installed();
    gh.issue(7, { title: "Crash on start" }).comments(7);
    const made = await h().plane.create(operator("cli"), { repository: REPOSITORY, instruction: "", issue: 7, base: "release/1.x" });
    assert.ok(made.ok, made.ok ? "" : made.error.detail);
    assert.deepEqual(
      [made.value.task.issueNumber, made.value.task.issueTitle, made.value.task.baseBranch, made.value.task.requestedBy],
      [7, "Crash on start", "release/1.x", "operator"],
    );
    assert.notEqual(made.value.task.statusCommentId, null);
    assert.equal(gh.posted().length, 1);
    gh.assertClean();
  });

  it("answers a retried create with the same idempotency key with the first task, and a different request with a conflict", async () => {
    installed(3);
    const request = { repository: REPOSITORY, instruction: "bump the version", idempotencyKey: "k-1" };
    const first = await h().plane.create(operator("api"), request);
    const again = await h().plane.create(operator("api"), request);
    assert.ok(first.ok && again.ok);
    assert.deepEqual([again.value.created, again.value.task.id], [false, first.value.task.id]);
    const other = await h().plane.create(operator("api"), { ...request, instruction: "something else" });
    assert.deepEqual(!other.ok && [other.error.code, other.error.title], ["conflict", "Idempotency key reused"]);
    assert.equal((await h().deps.store.list({})).length, 1);
    gh.assertClean();
  });

  it("refuses a model the operator does not allow, listing the allowed ones, before asking GitHub", async () => {
    const made = await h().plane.create(operator(), { repository: REPOSITORY, instruction: "x", model: "openai:gpt-9" });
    assert.deepEqual(!made.ok && made.error.code, "invalid");
    assert.match(made.ok ? "" : made.error.detail, /openai:gpt-9 is not allowed here: the allowed ones are openai:gpt-5-mini, claude-sonnet-4/);
    assert.deepEqual(gh.requests, []);
  });

  it("refuses a repository the app is not installed on, and a caller who may not write there", async () => {
    mockRepoInstallation(gh, null);
    const missing = await h().plane.create(operator(), { repository: REPOSITORY, instruction: "x" });
    assert.match(missing.ok ? "" : missing.error.detail, /not installed on Codertocat\/Hello-World/);
    mockRepoInstallation(gh, 2);
    mockRepository(gh);
    gh.role("mona", "read");
    const reader = await h().plane.create(user("mona"), { repository: REPOSITORY, instruction: "x" });
    assert.equal(reader.ok ? "ok" : reader.error.code, "forbidden");
    assert.deepEqual(await h().deps.store.list({}), []);
    gh.assertClean();
  });

  it("retries a failed task as a new one from planning, keeping the request", async () => {
    const old = await taskIn(h(), "failed", { model: "claude-sonnet-4" });
    const retried = await h().plane.retry(operator("cli"), old.id);
    assert.ok(retried.ok);
    assert.notEqual(retried.value.id, old.id);
    assert.deepEqual([retried.value.state, retried.value.instruction, retried.value.model, retried.value.face], ["queued", old.instruction, "claude-sonnet-4", "cli"]);
    assert.equal(await h().app.queue.depth(), 1);
    const live = await h().plane.retry(operator("cli"), retried.value.id);
    assert.match(live.ok ? "" : live.error.detail, /still queued/);
  });

  it("gives the diff of the task's branch against its base, and not_found before there is a branch", async () => {
    const none = await taskIn(h(), "working");
    assert.deepEqual((await h().plane.diff(operator(), none.id)).ok, false);
    const task = await taskIn(h(), "done", { requestedBy: "hubot", instruction: "y" }, { branch: "jules/fix-the-crash" });
    const diff = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n";
    mockCompareDiff(gh, "main", "jules/fix-the-crash", diff);
    const got = await h().plane.diff(operator(), task.id);
    assert.deepEqual(got.ok && got.value, { base: "main", branch: "jules/fix-the-crash", diff });
    gh.assertClean();
  });

  it("lists the repositories and branches a user may read", async () => {
    mockInstallations(gh, 2, 2);
    gh.role("mona", "read", 2);
    const repos = await h().plane.repositories(user("mona", { scopes: ["read"] }));
    assert.deepEqual(repos.ok && repos.value, [{ fullName: REPOSITORY, defaultBranch: "main", private: false }]);
    const none = await h().plane.repositories(user("mona", { repositories: ["someone/else"] }));
    assert.deepEqual(none.ok && none.value, []);
    mockRepoInstallation(gh, 2);
    mockRepository(gh);
    mockBranches(gh, ["main", "dev"]);
    const branches = await h().plane.branches(user("mona", { scopes: ["read"] }), REPOSITORY);
    assert.deepEqual(branches.ok && branches.value, ["main", "dev"]);
    gh.assertClean();
  });
});
