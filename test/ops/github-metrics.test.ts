import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import { ProbotOctokit } from "probot";
import { githubMetricsPlugin } from "../../src/ops/github-metrics.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { GitHubMock, testFetch } from "../helpers/github-mock.ts";
import { parsePromText, sampleValue } from "../helpers/prom-text.ts";

describe("githubMetricsPlugin", () => {
  afterEach(() => GitHubMock.reset());

  it("counts every response by method and status, 0 for no response, and keeps the rate limit GitHub reports", async () => {
    const mock = new GitHubMock();
    mock.scope.defaultReplyHeaders({ "x-ratelimit-remaining": "4321", "x-ratelimit-resource": "core" });
    mock.issue(1).comments(1, { status: 500 });
    mock.scope.get(`${mock.repoPath}/issues/2`).replyWithError("socket hang up");
    const metrics = new Metrics({ defaultMetrics: false });
    const Octokit = ProbotOctokit.plugin(githubMetricsPlugin(metrics));
    const octokit = new Octokit({ auth: "ghs_x", request: { fetch: testFetch }, retry: { enabled: false }, throttle: { enabled: false } });
    const repo = { owner: mock.owner, repo: mock.repo };

    await octokit.rest.issues.get({ ...repo, issue_number: 1 });
    await assert.rejects(octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: "hi" }), { status: 500 });
    await assert.rejects(octokit.rest.issues.get({ ...repo, issue_number: 2 }));

    const s = parsePromText(await metrics.render());
    assert.equal(sampleValue(s, "openjules_github_requests_total", { method: "GET", status: "200" }), 1);
    assert.equal(sampleValue(s, "openjules_github_requests_total", { method: "POST", status: "500" }), 1);
    assert.equal(sampleValue(s, "openjules_github_requests_total", { method: "GET", status: "0" }), 1);
    assert.equal(sampleValue(s, "openjules_github_rate_limit_remaining", { resource: "core" }), 4321);
    mock.assertClean();
  });
});
