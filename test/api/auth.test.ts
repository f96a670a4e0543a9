import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { addToken, revokeToken } from "../../src/access/personal-tokens.ts";
import { apiFixture, type ApiFixture, problemOf } from "./fixture.ts";

describe("/api/v1 authentication", () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await apiFixture();
  });
  afterAll(() => api.close());

  it("refuses a request without a token with 401, a Bearer challenge and what to send", async () => {
    const res = await api.request("/api/v1/tasks", { token: null });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="openjules"');
    const problem = await problemOf(res);
    assert.equal(problem.type, "urn:openjules:problem:unauthorized");
    assert.match(problem.detail, /^No token: send the header Authorization: Bearer <token>/);
  });

  it("refuses a wrong token, a non-bearer scheme and an unknown personal token, naming the problem", async () => {
    const wrong = await api.request("/api/v1/tasks", { token: "not-the-operator-token" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("www-authenticate"), 'Bearer realm="openjules", error="invalid_token"');
    assert.match((await problemOf(wrong)).detail, /not valid on this server/);
    const basic = await api.request("/api/v1/tasks", { token: null, headers: { authorization: "Basic b3A6cHc=" } });
    assert.equal(basic.status, 401);
    assert.match((await problemOf(basic)).detail, /not a bearer token/);
    const unknown = await api.request("/api/v1/tasks", { token: "ojp_0123456789ab_nonsense" });
    assert.equal(unknown.status, 401);
    assert.match((await problemOf(unknown)).detail, /Unknown token/);
  });

  it("takes a personal token until it is revoked, then says it was revoked", async () => {
    const { token, entry } = addToken(api.tokenFile, { login: "octocat", scopes: ["read", "write"], repositories: null });
    // Past authentication: the control plane answers (no such task) as this user.
    const accepted = await api.request("/api/v1/tasks/no-such-task", { token });
    assert.deepEqual([accepted.status, (await problemOf(accepted)).title], [404, "Task not found"]);
    revokeToken(api.tokenFile, entry.id);
    const res = await api.request("/api/v1/tasks/no-such-task", { token });
    assert.equal(res.status, 401);
    assert.match((await problemOf(res)).detail, /^This token was revoked on \d{4}-\d{2}-\d{2}; ask the operator for a new one\.$/);
  });

  it("serves the OpenAPI document without a token, and nothing else", async () => {
    const res = await api.request("/api/v1/openapi.json", { token: null });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { openapi: string }).openapi, "3.1.0");
    for (const path of ["/api/v1/repos", "/api/v1/tasks/abc", "/api/v1/tasks/abc/events", "/api/v1/repos/a/b/branches"]) {
      assert.equal((await api.request(path, { token: null })).status, 401, path);
    }
  });

  it("answers 503 when the token file is malformed, while the operator token still works", async () => {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(api.tokenFile, "{ not json");
    const res = await api.request("/api/v1/tasks", { token: `ojp_0123456789ab_${"a".repeat(43)}` });
    assert.equal(res.status, 503);
    assert.match((await problemOf(res)).detail, /token file is malformed/);
    assert.equal((await api.request("/api/v1/tasks")).status, 200);
  });
});
