import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { mockAnyTokens } from "../../helpers/github-app-mock.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { operator, taskIn, user, withHarness } from "./harness.ts";

/** get says whether the caller may change the task, so a face (the web app) shows only the actions that would be allowed. */
describe("control plane: a task's permissions for the caller", () => {
  const h = withHarness();

  it("is write for the operator, and for a writer; read-only for a reader and for a read-scoped token; one role lookup each", async () => {
    const task = await taskIn(h(), "awaiting_approval");
    const op = await h().plane.get(operator("web"), task.id);
    assert.deepEqual(op.ok && op.value.permissions, { write: true });

    const gh = new GitHubMock();
    mockAnyTokens(gh);
    gh.role("mona", "write"); // each role is answered once: a second lookup would find no answer and fail the test
    const writer = await h().plane.get(user("mona", { face: "web" }), task.id);
    assert.deepEqual(writer.ok && writer.value.permissions, { write: true });

    gh.role("hubot", "read");
    const reader = await h().plane.get(user("hubot", { face: "web" }), task.id);
    assert.deepEqual(reader.ok && reader.value.permissions, { write: false });

    gh.role("octo", "admin");
    const readScope = await h().plane.get(user("octo", { scopes: ["read"] }), task.id);
    assert.deepEqual(readScope.ok && readScope.value.permissions, { write: false });
    gh.assertClean();
  });

  it("is not found for a user without access, as any read", async () => {
    const task = await taskIn(h(), "queued");
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    gh.role("stranger", "none");
    const got = await h().plane.get(user("stranger"), task.id);
    assert.equal(got.ok ? null : got.error.code, "not_found");
    gh.assertClean();
  });
});
