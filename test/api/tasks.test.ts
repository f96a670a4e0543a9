import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { addToken } from "../../src/access/personal-tokens.ts";
import type { Task } from "../../src/domain/model.ts";
import { mockAnyTokens, mockCompareDiff, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { taskIn } from "../tasks/control/harness.ts";
import { apiFixture, type ApiFixture, postJson, problemOf } from "./fixture.ts";

const CREATE = { repository: "Codertocat/Hello-World", instruction: "make the config loader accept an empty file" };

/** GitHub as `create` reads it, `times` times: the installation, the repository, its (absent) jules.yml. */
function installed(times: number): GitHubMock {
  const gh = new GitHubMock();
  mockRepoInstallation(gh, 1, times);
  mockRepository(gh, {}, times);
  gh.config(null, times);
  return gh;
}

describe("/api/v1 task routes on the control plane", () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await apiFixture();
    // Installation tokens for the whole file: Probot keeps one per installation once it has it.
    mockAnyTokens(new GitHubMock());
  });
  afterAll(async () => {
    await api.close();
    GitHubMock.reset();
  });

  it("creates a task without an issue: 201, its Location, recorded as created through the api", async () => {
    const gh = installed(1);
    const res = await api.request("/api/v1/tasks", postJson({ ...CREATE, base: "main" }));
    assert.equal(res.status, 201);
    const task = (await res.json()) as Task;
    assert.equal(res.headers.get("location"), `/api/v1/tasks/${task.id}`);
    assert.deepEqual([task.state, task.issueNumber, task.face, task.requestedBy, task.baseBranch], ["queued", null, "api", "operator", "main"]);
    const view = (await (await api.request(`/api/v1/tasks/${task.id}`)).json()) as { history: { actor: string; face: string }[] };
    assert.deepEqual(
      view.history.map((e) => [e.actor, e.face]),
      [["operator", "api"]],
    );
    gh.assertClean();
  });

  it("Idempotency-Key: a replay answers the same task with 200, another body with the same key is a 409", async () => {
    const gh = installed(3);
    const key = { "idempotency-key": "4f1e5c1a-7d0b-4c62-9d0e-2f3b1a9c8e77" };
    const first = await api.request("/api/v1/tasks", postJson(CREATE, key));
    const again = await api.request("/api/v1/tasks", postJson(CREATE, key));
    assert.deepEqual([first.status, again.status], [201, 200]);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(((await again.json()) as Task).id, ((await first.json()) as Task).id);
    const other = await api.request("/api/v1/tasks", postJson({ ...CREATE, instruction: "something else" }, key));
    assert.equal(other.status, 409);
    const problem = await problemOf(other);
    assert.equal(problem.title, "Idempotency key reused");
    assert.match(problem.detail, /use a new key for a new task/);
    const bad = await api.request("/api/v1/tasks", postJson(CREATE, { "idempotency-key": "has spaces" }));
    assert.match((await problemOf(bad)).detail, /Idempotency-Key header must be 1 to 255 printable ASCII characters/);
    gh.assertClean();
  });

  it("leaves permissions to the control plane: a personal token of a reader may read a task but not approve it", async () => {
    const task = await taskIn(api.h, "awaiting_approval");
    const { token } = addToken(api.tokenFile, { login: "mona", scopes: ["read", "write"], repositories: null });
    const gh = new GitHubMock();
    gh.role("mona", "read", 2);
    assert.equal((await api.request(`/api/v1/tasks/${task.id}`, { token })).status, 200);
    const refused = await api.request(`/api/v1/tasks/${task.id}/approve`, { method: "POST", token });
    assert.equal(refused.status, 403);
    assert.equal((await problemOf(refused)).type, "urn:openjules:problem:forbidden");
    assert.equal((await api.h.deps.store.get(task.id))?.state, "awaiting_approval");
    gh.assertClean();
  });

  it("answers a write the task's state does not allow with the control plane's 409 and what to do", async () => {
    const done = await taskIn(api.h, "done");
    const res = await api.request(`/api/v1/tasks/${done.id}/pause`, postJson({ reason: "lunch" }));
    assert.equal(res.status, 409);
    const problem = await problemOf(res);
    assert.equal(problem.type, "urn:openjules:problem:conflict");
    assert.match(problem.detail, new RegExp(done.id));
  });

  it("sends a message to a working task for its next turn, and answers where it went", async () => {
    const working = await taskIn(api.h, "working");
    const res = await api.request(`/api/v1/tasks/${working.id}/message`, postJson({ text: "also update the docs" }));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { task: Task; delivery: string };
    assert.deepEqual([body.task.id, body.delivery], [working.id, "next_turn"]);
    const events = (await (await api.request(`/api/v1/tasks/${working.id}/events?format=json`)).json()) as { events: { data: { type: string; text?: string; face?: string } }[] };
    assert.deepEqual(events.events.at(-1)?.data, { type: "message", from: "operator", face: "api", text: "also update the docs" });
  });

  it("keeps a message to a paused task until it resumes, and answers on_resume", async () => {
    const paused = await taskIn(api.h, "paused");
    const res = await api.request(`/api/v1/tasks/${paused.id}/message`, postJson({ text: "keep the README short" }));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { task: Task; delivery: string };
    assert.deepEqual([body.task.id, body.task.state, body.delivery], [paused.id, "paused", "on_resume"]);
    assert.deepEqual(
      (await api.h.deps.store.takeMessages(paused.id)).map((m) => [m.author, m.face, m.body]),
      [["operator", "api", "keep the README short"]],
    );
  });

  it("answers the diff as text/x-diff by default and as JSON when asked", async () => {
    const task = await taskIn(api.h, "working", {}, { branch: "jules/empty-config" });
    const diff = "diff --git a/src/config.ts b/src/config.ts\n--- a/src/config.ts\n+++ b/src/config.ts\n@@ -1 +1 @@\n-a\n+b\n";
    const gh = new GitHubMock();
    mockCompareDiff(gh, "main", "jules/empty-config", diff);
    mockCompareDiff(gh, "main", "jules/empty-config", diff);
    const text = await api.request(`/api/v1/tasks/${task.id}/diff`);
    assert.equal(text.headers.get("content-type"), "text/x-diff; charset=utf-8");
    assert.equal(await text.text(), diff);
    const json = await api.request(`/api/v1/tasks/${task.id}/diff?format=json`);
    assert.deepEqual(await json.json(), { base: "main", branch: "jules/empty-config", diff });
    const none = await api.request(`/api/v1/tasks/${(await taskIn(api.h, "queued")).id}/diff`);
    assert.deepEqual([none.status, (await problemOf(none)).title], [404, "No branch yet"]);
    gh.assertClean();
  });
});
