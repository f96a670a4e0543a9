import assert from "node:assert/strict";
import nock from "nock";
import { afterAll, beforeAll, describe, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/api/body.ts";
import { rawExchange, requestHead } from "../helpers/raw-http.ts";
import { taskIn } from "../tasks/control/harness.ts";
import { apiFixture, type ApiFixture, OPERATOR, postJson as post, problemOf } from "./fixture.ts";

describe("/api/v1 request parsing", () => {
  let api: ApiFixture;
  const port = () => Number(new URL(api.origin).port);
  beforeAll(async () => {
    // nock (loaded with the harness's GitHub mock) holds a request back from the server until its whole body arrived,
    // which would hide what the server does while a body streams in; nothing here reaches GitHub.
    nock.restore();
    api = await apiFixture({ bodyTimeoutMs: 300 });
  });
  afterAll(async () => {
    await api.close();
    nock.activate();
  });

  it("owns /api/v1 only: other paths are left to the next handler, and the webhook guard still refuses their bodies", async () => {
    assert.equal(await (await api.request("/api/tasks")).text(), "not mine");
    assert.equal(await (await api.request("/api/v10/tasks")).text(), "not mine");
    assert.equal((await api.request("/api/v10/tasks", post({ a: 1 }))).status, 413);
    const through = await api.request("/api/v1/tasks/no-such-task/cancel", post({ reason: "not needed" }));
    assert.deepEqual([through.status, (await problemOf(through)).title], [404, "Task not found"]);
  });

  it("answers an unknown route with 404 and a wrong method with 405 and Allow, as problems", async () => {
    const missing = await api.request("/api/v1/nothing");
    assert.equal(missing.status, 404);
    assert.match((await problemOf(missing)).detail, /There is no \/api\/v1\/nothing; the routes are listed in \/api\/v1\/openapi\.json\./);
    const wrong = await api.request("/api/v1/tasks/abc/approve");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "POST");
    assert.equal((await problemOf(wrong)).type, "urn:openjules:problem:method_not_allowed");
    const del = await api.request("/api/v1/tasks", { method: "DELETE" });
    assert.equal(del.headers.get("allow"), "GET, POST");
  });

  it("refuses unknown, repeated and malformed query parameters, saying what is accepted", async () => {
    const cases: [string, RegExp][] = [
      ["/api/v1/tasks?color=red", /^Unknown parameter "color"; the accepted ones are repo, owner, state, limit, offset\.$/],
      ["/api/v1/tasks?state=a&state=b", /given more than once/],
      ["/api/v1/tasks?state=bogus", /^State must be one of queued, planning, .*paused.*got "bogus"\.$/],
      ["/api/v1/tasks?limit=0", /^Limit must be an integer from 1 to 500\.$/],
      ["/api/v1/tasks?repo=a/b/c", /^Repo must look like owner\/name/],
      ["/api/v1/tasks?repo=a/b&owner=c", /^Owner "c" contradicts repo "a\/b"\.$/],
      ["/api/v1/repos?page=2", /this route takes no query parameters/],
      ["/api/v1/tasks/not%20an%20id", /"not an id" is not a task id/],
      ["/api/v1/tasks/abc/events?after=-1&format=json", /must be a non-negative integer, got "-1"/],
      ["/api/v1/tasks/abc/events?format=xml", /format must be sse or json/],
      ["/api/v1/tasks/abc/events?limit=10", /limit applies to the JSON page only/],
      ["/api/v1/tasks/abc/diff?format=patch", /format must be diff or json/],
      ["/api/v1/repos/a%2Fb/c/branches", /must look like owner\/name, got "a\/b\/c"/],
    ];
    for (const [path, detail] of cases) {
      const res = await api.request(path);
      assert.equal(res.status, 400, path);
      const problem = await problemOf(res);
      assert.equal(problem.type, "urn:openjules:problem:invalid");
      assert.match(problem.detail, detail, path);
    }
  });

  it("passes list filters to the control plane: repository, owner, state, paging", async () => {
    const ta = await taskIn(api.h, "queued");
    const tb = await taskIn(api.h, "queued", { owner: "other-org", repo: "tool" });
    const ids = async (q: string) => ((await (await api.request(`/api/v1/tasks${q}`)).json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id);
    assert.deepEqual(await ids("?repo=Codertocat/Hello-World"), [ta.id]);
    assert.deepEqual(await ids("?owner=other-org"), [tb.id]);
    assert.deepEqual(await ids("?state=queued&limit=1"), [tb.id]);
    assert.deepEqual(await ids("?state=queued&limit=1&offset=1"), [ta.id]);
    assert.deepEqual(await ids("?state=done"), []);
  });

  it("refuses a body that is not JSON, has unknown keys or refused fields, naming each field", async () => {
    const text = await api.request("/api/v1/tasks", { method: "POST", headers: { "content-type": "text/plain" }, body: "fix it" });
    assert.equal(text.status, 415);
    assert.match((await problemOf(text)).detail, /send Content-Type: application\/json \(got text\/plain\)/);
    const broken = await api.request("/api/v1/tasks", post('{"repository":'));
    assert.equal(broken.status, 400);
    assert.match((await problemOf(broken)).detail, /^The body is not valid JSON/);
    const extra = await problemOf(await api.request("/api/v1/tasks", post({ repository: "a/b", instruction: "x", colour: "red" })));
    assert.deepEqual(extra.errors, [{ path: "(body)", message: 'Unrecognized key: "colour"' }]);
    const fields = await problemOf(await api.request("/api/v1/tasks", post({ repository: "not a repo", instruction: "   ", issue: 0 })));
    assert.deepEqual(
      fields.errors?.map((e) => e.path),
      ["repository", "instruction", "issue"],
    );
    assert.match(fields.detail, /^The body was refused \(repository: must look like owner\/name; instruction: must not be blank; issue: .*\); see \/api\/v1\/openapi\.json/);
    const missing = await problemOf(await api.request("/api/v1/tasks/abc/revise", { method: "POST" }));
    assert.deepEqual([missing.status, missing.detail], [400, "This request needs a JSON body; see /api/v1/openapi.json for its fields."]);
  });

  it("takes no body as {} where every field is optional, and answers the control plane's error as its problem", async () => {
    const res = await api.request("/api/v1/tasks/no-such-task/approve", { method: "POST" });
    assert.equal(res.status, 404);
    const problem = await problemOf(res);
    assert.deepEqual([problem.type, problem.title], ["urn:openjules:problem:not_found", "Task not found"]);
  });

  it("refuses a body above the cap from its head, chunked bodies, and a body too slow, closing the connection", async () => {
    const headers = { authorization: `Bearer ${OPERATOR}`, "content-type": "application/json" };
    const big = rawExchange(port(), requestHead("POST", "/api/v1/tasks", { ...headers, "content-length": MAX_BODY_BYTES + 1 }), { kind: "bytes", total: MAX_BODY_BYTES + 1 });
    assert.equal(await big.status, 413);
    await big.closed;
    assert.match(big.received(), /connection: close/i);
    assert.match(big.received(), /the API takes at most 262144 bytes/);
    const chunked = rawExchange(port(), requestHead("POST", "/api/v1/tasks", { ...headers, "transfer-encoding": "chunked" }), { kind: "drip", intervalMs: 20, chunked: true });
    assert.equal(await chunked.status, 411);
    await chunked.closed;
    const slow = rawExchange(port(), requestHead("POST", "/api/v1/tasks", { ...headers, "content-length": 100 }), { kind: "drip", intervalMs: 50 });
    assert.equal(await slow.status, 408);
    await slow.closed;
    assert.match(slow.received(), /did not arrive within 300 ms/);
  });
});
