import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { defaultRepoConfig } from "../../src/config/repo-config.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import type { PullFields } from "../helpers/github-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { branchSha, gitOut } from "../helpers/git/repo.ts";
import { deliveryFixture, REQUESTER_ID, type DeliveryFixture } from "./fixture.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";

/** `/jules <feedback>` on OpenJules' pull request: new commits on the same branch, never a new pull request. */
describe("deliver: follow-ups on an existing pull request", { timeout: 180_000 }, () => {
  let fx: DeliveryFixture;
  beforeAll(async () => {
    fx = await deliveryFixture();
  });
  afterAll(() => fx?.close());
  afterEach(() => GitHubMock.reset());

  const remote = () => fx.git.server.repoPath(fx.git.owner, fx.git.repo);

  /** A follow-up task on pull request #n whose branch an earlier task pushed; `edit` plays the agent. */
  async function followUp(n: number, pr: Partial<PullFields>, edit: (dir: string) => Promise<void>, mocks: (gh: GitHubMock) => void = () => {}) {
    const branch = `jules/${n}-make-the-answer-a-constant`;
    const tip = await fx.pushEarlier(branch);
    const task = fx.task({ kind: "follow_up", issueNumber: n, pullRequestNumber: n, branch, instruction: "also explain the answer in the guide" });
    const gh = new GitHubMock(fx.git.owner, fx.git.repo).pull({ number: n, head: branch, draft: true, ...pr });
    mocks(gh);
    const ws = await fx.git.manager.prepare(fx.git.request(task.id, { branch }));
    try {
      await edit(ws.dir);
      await agentWrote(ws);
      const input = fx.input(task, ws, { config: { ...defaultRepoConfig(), labels: ["jules"] } });
      return { result: await deliver(input), input, gh, branch, tip };
    } finally {
      await ws.dispose();
    }
  }

  it("pushes a new commit on the pull request's branch, re-requests review, and opens nothing new", async () => {
    const { result, input, gh, branch, tip } = await followUp(
      40,
      {},
      (dir) => writeFile(join(dir, "docs/guide.md"), "The answer is 42.\n"),
      (m) => m.userLookup("Codertocat", REQUESTER_ID).reviewRequest(40).checkRun(),
    );
    assert.deepEqual(result, {
      kind: "pull_request",
      number: 40,
      url: "https://github.com/acme/widget/pull/40",
      branch,
      draft: true,
      testsPassed: true,
      created: false,
      headSha: await branchSha(remote(), branch),
    });
    assert.equal(await gitOut(remote(), "rev-parse", `${branch}^`), tip, "a fast-forward on top of the earlier commit");
    assert.equal(await fx.readFromClone(branch, "docs/guide.md"), "The answer is 42.\n");
    assert.equal(await fx.readFromClone(branch, "src/index.js"), "export const answer = 42;\n");
    assert.match(await gitOut(remote(), "log", "-1", "--format=%s", branch), /^Also explain the answer in the guide$/);
    assert.deepEqual(input.recorded, [branch]);
    assert.deepEqual(gh.bodies("POST", /\/pulls$/), []);
    assert.deepEqual(gh.bodies("POST", /\/labels$/), [], "a follow-up leaves labels alone");
    assert.equal(gh.bodies<Record<string, string>>("POST", /\/check-runs$/)[0]!.head_sha, await branchSha(remote(), branch));
    gh.assertClean();
  });

  it("says in the check run what it left out, since a follow-up does not rewrite the pull request's description", async () => {
    const { result, gh, branch } = await followUp(
      49,
      {},
      async (dir) => {
        await writeFile(join(dir, "docs/guide.md"), "The answer is 42.\n");
        await mkdir(join(dir, "evil"), { recursive: true });
        await gitOut(join(dir, "evil"), "init", "-q");
      },
      (m) => m.userLookup("Codertocat", REQUESTER_ID).reviewRequest(49).checkRun(),
    );
    assert.equal(result.kind, "pull_request");
    assert.equal(await gitOut(remote(), "ls-tree", "--name-only", branch, "evil"), "", "the nested repository is not pushed");
    const check = gh.bodies<{ output: { summary: string } }>("POST", /\/check-runs$/)[0]!;
    assert.match(check.output.summary, /### Left out\n\nThese paths were changed in the working copy but are not in this commit:\n\n- `evil\/?`: a nested git repository/);
    gh.assertClean();
  });

  it("reports no changes when the feedback needed none, and leaves the branch as it was", async () => {
    const { result, gh, branch, tip } = await followUp(
      41,
      {},
      async () => {},
      (m) => m.userLookup("Codertocat", REQUESTER_ID),
    );
    assert.deepEqual(result, { kind: "no_changes" });
    assert.equal(await branchSha(remote(), branch), tip);
    gh.assertClean();
  });

  it("refuses a closed pull request before committing anything", async () => {
    const { result, gh, branch, tip } = await followUp(42, { state: "closed" }, (dir) => writeFile(join(dir, "docs/guide.md"), "x\n"));
    assert.equal(result.kind, "blocked");
    assert.match(result.kind === "blocked" ? result.reason : "", /Pull request #42 is closed/);
    assert.equal(await branchSha(remote(), branch), tip);
    gh.assertClean();
  });

  for (const [name, pr] of [
    ["opened by someone else", { author: "mona" }],
    ["whose head is in a fork", { headRepo: "mona/widget" }],
  ] as const) {
    it(`refuses a pull request ${name}: OpenJules only pushes to branches it created`, async () => {
      const n = name.startsWith("opened") ? 43 : 44;
      const { result, gh, branch, tip } = await followUp(n, pr, (dir) => writeFile(join(dir, "docs/guide.md"), "x\n"));
      assert.equal(result.kind, "blocked");
      assert.match(result.kind === "blocked" ? result.reason : "", /only pushes to branches it created/);
      assert.equal(await branchSha(remote(), branch), tip);
      gh.assertClean();
    });
  }
});
