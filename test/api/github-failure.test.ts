import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { mockAnyTokens } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { Conformance, type OpenApi } from "./conformance.ts";
import { apiFixture, type ApiFixture } from "./fixture.ts";

/** A request GitHub fails or refuses is a 502 naming GitHub's answer, as the document says, never a bare 500. */
describe("/api/v1 when GitHub fails", () => {
  let api: ApiFixture;
  let conformance: Conformance;
  beforeAll(async () => {
    api = await apiFixture();
    conformance = new Conformance((await (await api.request("/api/v1/openapi.json", { token: null })).json()) as OpenApi);
  });
  afterAll(async () => {
    await api.close();
    GitHubMock.reset();
  });

  it("answers 502 with GitHub's status and what to do when listing the installations fails", async () => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    gh.scope
      .get("/app/installations")
      .query(true)
      .reply(503, gh.reply(503, "GET", "/app/installations", { message: "Service Unavailable", documentation_url: "https://docs.github.com/rest" }));
    const res = await api.request("/api/v1/repos");
    const problem = (await conformance.check("GET /api/v1/repos", res)) as { status: number; title: string; detail: string };
    assert.equal(res.status, 502);
    assert.equal(problem.title, "GitHub request failed");
    assert.match(problem.detail, /GitHub answered 503 .*try again/);
  });
});
