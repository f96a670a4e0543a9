import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Task } from "../../src/domain/model.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { Conformance, type OpenApi } from "./conformance.ts";
import { apiFixture, type ApiFixture, postJson, problemOf } from "./fixture.ts";

const ASK = { repository: "Codertocat/Hello-World", instruction: "Where is the retry limit set?", kind: "ask" };

/** GitHub as `create` reads it, `times` times: the installation, the repository, its (absent) jules.yml. */
function installed(times: number): GitHubMock {
  const gh = new GitHubMock();
  mockRepoInstallation(gh, 1, times);
  mockRepository(gh, {}, times);
  gh.config(null, times);
  return gh;
}

/** A question through the control plane: POST /api/v1/tasks with `kind: "ask"`, answers checked against the API's OpenAPI document. */
describe("/api/v1: a question (kind ask)", () => {
  let api: ApiFixture;
  let conformance: Conformance;
  beforeAll(async () => {
    api = await apiFixture();
    mockAnyTokens(new GitHubMock());
    conformance = new Conformance((await (await api.request("/api/v1/openapi.json", { token: null })).json()) as OpenApi);
  });
  afterAll(async () => {
    await api.close();
    GitHubMock.reset();
  });

  it("creates a question, listed and shown as kind ask, that the store will never approve", async () => {
    const gh = installed(1);
    const res = await api.request("/api/v1/tasks", postJson(ASK));
    const task = (await conformance.check("POST /api/v1/tasks", res)) as Task;
    assert.equal(res.status, 201);
    assert.deepEqual([task.kind, task.state, task.instruction], ["ask", "queued", "Where is the retry limit set?"]);
    const listed = await api.request("/api/v1/tasks?repo=Codertocat/Hello-World");
    assert.equal(listed.status, 200);
    const list = (await conformance.check("GET /api/v1/tasks", listed)) as { tasks: { id: string; kind: string }[] };
    assert.equal(list.tasks.find((t) => t.id === task.id)?.kind, "ask");
    const shown = (await conformance.check("GET /api/v1/tasks/{id}", await api.request(`/api/v1/tasks/${task.id}`))) as { task: Task };
    assert.equal(shown.task.kind, "ask");
    await assert.rejects(api.h.app.store.transition(task.id, { from: "queued", to: "approved", actor: "operator", reason: "try" }), /question/);
    gh.assertClean();
  });

  it("tells a question from a change with the same Idempotency-Key, and refuses an empty question or an unknown kind", async () => {
    const gh = installed(2);
    const key = { "idempotency-key": "0b7e1d7c-ask-and-change" };
    assert.equal((await api.request("/api/v1/tasks", postJson(ASK, key))).status, 201);
    const change = await api.request("/api/v1/tasks", postJson({ ...ASK, kind: "issue" }, key));
    assert.equal(change.status, 409);
    assert.equal((await problemOf(change)).title, "Idempotency key reused");
    const blank = await api.request("/api/v1/tasks", postJson({ ...ASK, instruction: " " }));
    assert.equal(blank.status, 400);
    const unknown = await api.request("/api/v1/tasks", postJson({ ...ASK, kind: "plan" }));
    assert.equal(unknown.status, 400);
    assert.match((await problemOf(unknown)).detail, /kind/);
    gh.assertClean();
  });
});
