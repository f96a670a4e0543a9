import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { mockAnyTokens, mockBranches, mockCompareDiff, mockInstallations, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { addToken } from "../../src/access/personal-tokens.ts";
import { espeakFinder } from "../../src/speech/espeak.ts";
import type { Task } from "../../src/domain/model.ts";
import { taskIn } from "../tasks/control/harness.ts";
import { Conformance, type OpenApi } from "./conformance.ts";
import { apiFixture, type ApiFixture, postJson as json } from "./fixture.ts";

describe("the OpenAPI document of /api/v1", () => {
  let api: ApiFixture;
  let doc: OpenApi;
  let conformance: Conformance;
  beforeAll(async () => {
    api = await apiFixture({ control: { defaultModel: "openai:gpt-5", speech: espeakFinder({ tts: "auto", path: "/usr/bin" }) } });
    doc = (await (await api.request("/api/v1/openapi.json", { token: null })).json()) as OpenApi;
    conformance = new Conformance(doc);
  });
  afterAll(async () => {
    await api.close();
    GitHubMock.reset();
  });

  it("is OpenAPI 3.1 with a bearer scheme, every route of the table and every schema it refers to", async () => {
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(conformance.operations().sort(), [
      "GET /api/v1/me",
      "GET /api/v1/me/keys",
      "GET /api/v1/me/tokens",
      "GET /api/v1/models",
      "GET /api/v1/openapi.json",
      "GET /api/v1/repos",
      "GET /api/v1/repos/{owner}/{repo}/branches",
      "GET /api/v1/repos/{owner}/{repo}/settings",
      "GET /api/v1/tasks",
      "GET /api/v1/tasks/{id}",
      "GET /api/v1/tasks/{id}/diff",
      "GET /api/v1/tasks/{id}/events",
      "GET /api/v1/tasks/{id}/summary",
      "GET /api/v1/tasks/{id}/summary/audio",
      "POST /api/v1/me/keys",
      "POST /api/v1/me/keys/{provider}/delete",
      "POST /api/v1/me/tokens",
      "POST /api/v1/me/tokens/{tokenId}/revoke",
      "POST /api/v1/tasks",
      "POST /api/v1/tasks/{id}/approve",
      "POST /api/v1/tasks/{id}/cancel",
      "POST /api/v1/tasks/{id}/message",
      "POST /api/v1/tasks/{id}/pause",
      "POST /api/v1/tasks/{id}/resume",
      "POST /api/v1/tasks/{id}/retry",
      "POST /api/v1/tasks/{id}/revise",
    ]);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(
      refs.filter((r) => !(r in doc.components.schemas)),
      [],
    );
    assert.ok(["Task", "TaskView", "TaskPage", "TaskEvent", "Problem", "CreateTask"].every((id) => id in doc.components.schemas));
  });

  it("documents what every route answers: each answer validates against the document", async () => {
    const check = (op: string, res: Response, bodyless = false) => conformance.check(op, res, { bodyless });
    const [awaiting, revising, working, paused, failed] = (await Promise.all(
      (["awaiting_approval", "awaiting_approval", "working", "paused", "failed"] as const).map((state) => taskIn(api.h, state, {}, { branch: "jules/fix-the-crash" })),
    )) as [Task, Task, Task, Task, Task];
    await api.h.deps.store.appendEvents(working.id, [{ type: "activity", line: "read 2 files" }]);
    // GitHub at its HTTP edge: the app's installation and the repository (create, branches), the installations (repos), a compare (diff).
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, 1, 4);
    mockRepository(gh, {}, 4);
    gh.config(null, 6); // read by create (3), approve (2) and resume
    mockInstallations(gh);
    mockBranches(gh, ["main", "jules/fix-the-crash"]);
    mockCompareDiff(gh, "main", "jules/fix-the-crash", "diff --git a/README.md b/README.md\n");
    mockCompareDiff(gh, "main", "jules/fix-the-crash", "diff --git a/README.md b/README.md\n");
    mockRepoInstallation(new GitHubMock("Codertocat", "nothing-here"), null);

    await check("GET /api/v1/openapi.json", await api.request("/api/v1/openapi.json", { token: null }));
    await check("GET /api/v1/tasks", await api.request("/api/v1/tasks?state=working"));
    await check("GET /api/v1/tasks", await api.request("/api/v1/tasks?limit=x"));
    await check("GET /api/v1/tasks", await api.request("/api/v1/tasks", { token: null }));

    const body = { repository: "Codertocat/Hello-World", instruction: "add a CONTRIBUTING file", base: "main" };
    await check("POST /api/v1/tasks", await api.request("/api/v1/tasks", json(body, { "idempotency-key": "k-1" })));
    await check("POST /api/v1/tasks", await api.request("/api/v1/tasks", json(body, { "idempotency-key": "k-1" })));
    await check("POST /api/v1/tasks", await api.request("/api/v1/tasks", json({ ...body, instruction: "something else" }, { "idempotency-key": "k-1" })));
    await check("POST /api/v1/tasks", await api.request("/api/v1/tasks", json({ repository: "x" })));
    await check("POST /api/v1/tasks", await api.request("/api/v1/tasks", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }));

    await check("GET /api/v1/tasks/{id}", await api.request(`/api/v1/tasks/${working.id}`));
    await check("GET /api/v1/tasks/{id}", await api.request("/api/v1/tasks/nope"));
    await check("POST /api/v1/tasks/{id}/approve", await api.request(`/api/v1/tasks/${awaiting.id}/approve`, json({ note: "looks right" })));
    await check("POST /api/v1/tasks/{id}/approve", await api.request(`/api/v1/tasks/${working.id}/approve`, { method: "POST" }));
    await check("POST /api/v1/tasks/{id}/revise", await api.request(`/api/v1/tasks/${revising.id}/revise`, json({ feedback: "smaller" })));
    await check("POST /api/v1/tasks/{id}/message", await api.request(`/api/v1/tasks/${working.id}/message`, json({ text: "also update the docs" })));
    await check("POST /api/v1/tasks/{id}/pause", await api.request(`/api/v1/tasks/${working.id}/pause`, { method: "POST" }));
    await check("POST /api/v1/tasks/{id}/message", await api.request(`/api/v1/tasks/${paused.id}/message`, json({ text: "keep it short" }))); // on_resume
    await check("POST /api/v1/tasks/{id}/resume", await api.request(`/api/v1/tasks/${paused.id}/resume`, json({})));
    await check("POST /api/v1/tasks/{id}/retry", await api.request(`/api/v1/tasks/${failed.id}/retry`, { method: "POST" }));
    await check("POST /api/v1/tasks/{id}/cancel", await api.request(`/api/v1/tasks/${awaiting.id}/cancel`, json({ reason: "not needed" })));

    await check("GET /api/v1/tasks/{id}/events", await api.request(`/api/v1/tasks/${working.id}/events?format=json`));
    const stop = new AbortController();
    await check("GET /api/v1/tasks/{id}/events", await api.request(`/api/v1/tasks/${working.id}/events`, { signal: stop.signal }), true);
    stop.abort();
    const ended = await taskIn(api.h, "done");
    await check("GET /api/v1/tasks/{id}/summary", await api.request(`/api/v1/tasks/${ended.id}/summary`));
    await check("GET /api/v1/tasks/{id}/summary", await api.request(`/api/v1/tasks/${working.id}/summary`));
    await check("GET /api/v1/tasks/{id}/summary/audio", await api.request(`/api/v1/tasks/${ended.id}/summary/audio`));
    await check("GET /api/v1/tasks/{id}/summary/audio", await api.request(`/api/v1/tasks/${working.id}/summary/audio`));
    await check("GET /api/v1/models", await api.request("/api/v1/models"));
    mockRepoInstallation(gh, 1);
    mockRepository(gh);
    gh.config("approval: auto\n");
    await check("GET /api/v1/repos/{owner}/{repo}/settings", await api.request("/api/v1/repos/Codertocat/Hello-World/settings"));
    mockRepoInstallation(gh, 1);
    mockRepository(gh);
    gh.config("approval: sometimes\n");
    await check("GET /api/v1/repos/{owner}/{repo}/settings", await api.request("/api/v1/repos/Codertocat/Hello-World/settings"));
    await check("GET /api/v1/tasks/{id}/diff", await api.request(`/api/v1/tasks/${working.id}/diff`));
    await check("GET /api/v1/tasks/{id}/diff", await api.request(`/api/v1/tasks/${working.id}/diff`, { headers: { accept: "application/json" } }));

    await check("GET /api/v1/me", await api.request("/api/v1/me"));
    await check("GET /api/v1/repos", await api.request("/api/v1/repos"));
    await check("GET /api/v1/repos/{owner}/{repo}/branches", await api.request("/api/v1/repos/Codertocat/Hello-World/branches"));
    await check("GET /api/v1/repos/{owner}/{repo}/branches", await api.request("/api/v1/repos/Codertocat/nothing-here/branches"));

    // The caller's own account: a personal token's user (the operator token has none).
    const mona = addToken(api.tokenFile, { login: "mona", scopes: ["read", "write"], repositories: null }).token;
    await check("GET /api/v1/me/tokens", await api.request("/api/v1/me/tokens", { token: mona }));
    await check("GET /api/v1/me/tokens", await api.request("/api/v1/me/tokens"));
    const made = (await check("POST /api/v1/me/tokens", await api.request("/api/v1/me/tokens", { ...json({ label: "ci" }), token: mona }))) as { entry: { id: string } };
    await check("POST /api/v1/me/tokens/{tokenId}/revoke", await api.request(`/api/v1/me/tokens/${made.entry.id}/revoke`, { method: "POST", token: mona }));
    await check(
      "POST /api/v1/me/keys",
      await api.request("/api/v1/me/keys", { ...json({ provider: "anthropic", apiKey: "sk-ant-a-users-own-key-0123456789abcdefghij" }), token: mona }),
    );
    await check("GET /api/v1/me/keys", await api.request("/api/v1/me/keys", { token: mona }));
    await check("POST /api/v1/me/keys/{provider}/delete", await api.request("/api/v1/me/keys/anthropic/delete", { method: "POST", token: mona }));
    await check("POST /api/v1/me/keys/{provider}/delete", await api.request("/api/v1/me/keys/anthropic/delete", { method: "POST", token: mona }));

    assert.deepEqual(api.errors, []);
    gh.assertClean();
    const answered = (op: string) => [...conformance.seen].filter((s) => s.startsWith(`${op} `)).map((s) => Number(s.split(" ").at(-1)));
    assert.deepEqual(
      conformance.operations().filter((op) => !answered(op).some((status) => status < 300)),
      [],
      `operations never answered with success; seen: ${[...conformance.seen].join(", ")}`,
    );
    assert.deepEqual(answered("POST /api/v1/tasks").sort(), [200, 201, 400, 409, 415]);
  });
});
