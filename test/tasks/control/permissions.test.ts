import assert from "node:assert/strict";
import { beforeEach, describe, it } from "vitest";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { mockAnyTokens } from "../../helpers/github-app-mock.ts";
import { operator, taskIn, user, withHarness } from "./harness.ts";

/** The one permission rule, on a write (cancel) and a read (get), for every kind of caller; four-eyes through the API. */
describe("control plane: who may do what", () => {
  const h = withHarness();
  let gh: GitHubMock;
  beforeEach(async () => {
    gh = new GitHubMock();
    mockAnyTokens(gh);
  });

  it("lets the operator write without asking GitHub for a role, recorded as operator with its face", async () => {
    const task = await taskIn(h(), "working");
    const result = await h().plane.cancel(operator("cli"), task.id, { reason: "not needed" });
    assert.ok(result.ok);
    assert.equal(result.value.state, "cancelled");
    const last = (await h().deps.store.history(task.id)).at(-1);
    assert.deepEqual([last?.actor, last?.face, last?.reason], ["operator", "cli", "not needed"]);
    assert.match(result.value.failure?.reason ?? "", /^Cancelled by the operator: not needed/);
    assert.deepEqual(gh.requests, [], "no request to GitHub");
  });

  for (const role of ["admin", "maintain", "write"]) {
    it(`lets a ${role} user write through a personal token`, async () => {
      const task = await taskIn(h(), "working");
      gh.role("mona", role);
      const result = await h().plane.cancel(user("mona", { face: "mcp" }), task.id, {});
      assert.equal(result.ok && result.value.state, "cancelled");
      const last = (await h().deps.store.history(task.id)).at(-1);
      assert.deepEqual([last?.actor, last?.face], ["mona", "mcp"]);
      gh.assertClean();
    });
  }

  for (const [role, code] of [
    ["triage", "forbidden"],
    ["read", "forbidden"],
    ["none", "not_found"],
  ] as const) {
    it(`refuses a write from a ${role} user (${code}) and leaves the task as it was`, async () => {
      const task = await taskIn(h(), "working");
      gh.role("mona", role);
      const result = await h().plane.cancel(user("mona"), task.id, {});
      assert.equal(result.ok ? "ok" : result.error.code, code);
      if (!result.ok && code === "forbidden") assert.match(result.error.detail, new RegExp(`mona has the ${role} role`));
      assert.equal((await h().deps.store.get(task.id))?.state, "working");
      gh.assertClean();
    });
  }

  it("lets a read user read, and hides a task from a user who cannot see its repository", async () => {
    const task = await taskIn(h(), "working");
    gh.role("mona", "read").role("eve", "none");
    assert.equal((await h().plane.get(user("mona", { scopes: ["read"] }), task.id)).ok, true);
    const hidden = await h().plane.get(user("eve"), task.id);
    assert.deepEqual(!hidden.ok && [hidden.error.code, hidden.error.title], ["not_found", "Task not found"]);
    gh.assertClean();
  });

  it("refuses a token scoped to another repository without asking GitHub (as not found)", async () => {
    const task = await taskIn(h(), "working");
    const result = await h().plane.cancel(user("mona", { repositories: ["codertocat/other"] }), task.id, {});
    assert.equal(result.ok ? "ok" : result.error.code, "not_found");
    assert.equal((await h().deps.store.get(task.id))?.state, "working");
    assert.deepEqual(gh.requests, [], "no request to GitHub");
  });

  it("refuses a write through a read-only token, saying which scope it needs", async () => {
    const task = await taskIn(h(), "working");
    const result = await h().plane.pause(user("mona", { scopes: ["read"] }), task.id, {});
    assert.equal(result.ok ? "ok" : result.error.code, "forbidden");
    assert.match(result.ok ? "" : result.error.detail, /needs the write scope/);
    assert.equal((await h().deps.store.get(task.id))?.pause, null);
    assert.deepEqual(gh.requests, [], "no request to GitHub");
  });

  it("holds the four-eyes rule through the API: the requester may not approve, another writer may", async () => {
    const task = await taskIn(h(), "awaiting_approval", { requestedBy: "mona" });
    gh.config("approvers: others\n", 2).role("mona", "write").role("hubot", "write");
    const own = await h().plane.approve(user("mona"), task.id, {});
    assert.deepEqual(!own.ok && [own.error.code, own.error.title], ["forbidden", "Four-eyes rule"]);
    assert.equal((await h().deps.store.get(task.id))?.state, "awaiting_approval");
    const other = await h().plane.approve(user("hubot", { face: "web" }), task.id, { note: "looks right" });
    assert.ok(other.ok);
    assert.deepEqual([other.value.state, other.value.approvedBy, other.value.approvalKind], ["approved", "hubot", "person"]);
    const last = (await h().deps.store.history(task.id)).at(-1);
    assert.deepEqual([last?.actor, last?.face, last?.reason], ["hubot", "web", "approved: looks right"]);
    // Execution of exactly this plan is queued.
    assert.equal(await h().app.queue.depth(), 1);
    gh.assertClean();
  });
});
