import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { ProbotOctokit } from "probot";
import { GitHubPacer } from "../../src/github/pacer.ts";
import { GitHubMock, testFetch } from "../helpers/github-mock.ts";

function client(pacer: GitHubPacer, installationId = 7) {
  const octokit = new ProbotOctokit({ auth: "ghs_x", throttle: { enabled: false }, retry: { enabled: false }, request: { fetch: testFetch } });
  octokit.hook.wrap("request", pacer.hook(installationId));
  return octokit;
}

function recordingPacer(options: { intervalMs?: number; maxRetries?: number } = {}) {
  const waits: number[] = [];
  const pacer = new GitHubPacer({ intervalMs: options.intervalMs ?? 0, maxRetries: options.maxRetries ?? 3, backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
  return { pacer, waits };
}

const post = (octokit: ReturnType<typeof client>, body = "hi") => octokit.rest.issues.createComment({ owner: "Codertocat", repo: "Hello-World", issue_number: 1, body });

describe("GitHub pacer", () => {
  afterEach(() => GitHubMock.reset());

  it("honours retry-after on a secondary rate limit (403) and then succeeds", async () => {
    const gh = new GitHubMock().comments(1, { status: 403, headers: { "retry-after": "7" } }).comments(1);
    const { pacer, waits } = recordingPacer();
    const { status } = await post(client(pacer));
    assert.equal(status, 201);
    assert.deepEqual(waits, [7000]);
    gh.assertClean();
  });

  it("retries a 500 with exponential backoff, up to the cap, then gives up", async () => {
    const gh = new GitHubMock().comments(1, { status: 500 }).comments(1, { status: 500 }).comments(1);
    const { pacer, waits } = recordingPacer();
    assert.equal((await post(client(pacer))).status, 201);
    assert.deepEqual(waits, [100, 200]);
    gh.assertClean();

    const failing = new GitHubMock().comments(1, { status: 502, times: 3 });
    const capped = recordingPacer({ maxRetries: 2 });
    await assert.rejects(post(client(capped.pacer)), (e: { status?: number }) => e.status === 502);
    assert.deepEqual(capped.waits, [100, 200]);
    failing.assertClean();
  });

  it("does not retry a client error", async () => {
    const gh = new GitHubMock();
    gh.scope.post(`${gh.repoPath}/issues/1/comments`).reply(422, { message: "Validation Failed", documentation_url: "https://docs.github.com/rest" });
    const { pacer, waits } = recordingPacer();
    await assert.rejects(post(client(pacer)), (e: { status?: number }) => e.status === 422);
    assert.deepEqual(waits, []);
  });

  it("spaces writes of one installation, not reads, and not other installations", async () => {
    const gh = new GitHubMock().comments(1, { times: 3 }).issue(1, {}, 2);
    const { pacer, waits } = recordingPacer({ intervalMs: 60_000 });
    const a = client(pacer, 1);
    const b = client(pacer, 2);
    await Promise.all([
      post(a, "one"),
      post(a, "two"),
      post(b, "other"),
      a.rest.issues.get({ owner: "Codertocat", repo: "Hello-World", issue_number: 1 }),
      a.rest.issues.get({ owner: "Codertocat", repo: "Hello-World", issue_number: 1 }),
    ]);
    // Only the second write of installation 1 had to wait; installation 2 and the reads did not.
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! > 59_000 && waits[0]! <= 60_000, `waited ${waits[0]}`);
    assert.deepEqual([...gh.posted()].sort(), ["one", "other", "two"]);
    assert.equal(gh.posted().indexOf("one") < gh.posted().indexOf("two"), true, "writes of one installation keep their order");
    gh.assertClean();
  });
});
