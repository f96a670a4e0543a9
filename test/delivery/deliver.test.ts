import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { defaultRepoConfig } from "../../src/config/repo-config.ts";
import { CHECK_NAME, deliver } from "../../src/delivery/deliver.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { branchSha, gitOut } from "../helpers/git/repo.ts";
import { deliveryFixture, REQUESTER_ID, type DeliveryFixture } from "./fixture.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";

/** Delivery end to end: a real workspace and git remote, the production GitHub gateway against a mocked REST API. */
describe("deliver: from the agent's work to a pull request", { timeout: 180_000 }, () => {
  let fx: DeliveryFixture;
  beforeAll(async () => {
    fx = await deliveryFixture();
  });
  afterAll(() => fx?.close());
  afterEach(() => GitHubMock.reset());

  const BRANCH = "jules/1-make-the-answer-a-constant";
  const remote = () => fx.git.server.repoPath(fx.git.owner, fx.git.repo);
  const earlierAttempt = (branch: string) => fx.pushEarlier(branch);

  it("commits, pushes a new branch and opens a draft pull request that fixes the issue, with reviewer, labels and check run", async () => {
    const task = fx.task();
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
      await agentWrote(ws);
      const gh = new GitHubMock(fx.git.owner, fx.git.repo)
        .userLookup("Codertocat", REQUESTER_ID)
        .openPulls(BRANCH, null)
        .createPull({ number: 7, head: BRANCH, draft: true })
        .reviewRequest(7)
        .labels(7, ["jules", "automated"])
        .checkRun();
      const input = fx.input(task, ws, { config: { ...defaultRepoConfig(), labels: ["jules", "automated"] } });

      const result = await deliver(input);

      assert.deepEqual(result, {
        kind: "pull_request",
        number: 7,
        url: "https://github.com/acme/widget/pull/7",
        branch: BRANCH,
        draft: true,
        testsPassed: true,
        created: true,
        headSha: await branchSha(remote(), BRANCH),
      });
      assert.deepEqual(input.recorded, [BRANCH]);
      assert.equal(await fx.readFromClone(BRANCH, "src/index.js"), "export const answer = 42;\n");
      const message = await gitOut(remote(), "log", "-1", "--format=%an <%ae>%n%B", BRANCH);
      assert.match(message, /^openjules\[bot\] <4242\+openjules\[bot\]@users\.noreply\.github\.com>\nMake the answer a constant\n\nThe answer is now the constant 42/);
      assert.match(message, /\nCo-authored-by: Codertocat <583231\+Codertocat@users\.noreply\.github\.com>$/);

      const [pr] = gh.bodies<{ title: string; body: string; head: string; base: string; draft: boolean }>("POST", /\/pulls$/);
      assert.deepEqual({ ...pr, body: undefined }, { title: "Make the answer a constant", head: BRANCH, base: "main", draft: true, body: undefined });
      assert.match(pr!.body, /\nFixes #1\n$/);
      assert.match(pr!.body, /### Plan[\s\S]*Make the answer a constant[\s\S]*1\. Treat an empty file as an empty config/);
      assert.match(pr!.body, /### What changed\n\n- `src\/index\.js` \(modified\)\n/);
      assert.match(pr!.body, /### Tests\n\n✅ `npm test` passed\.[\s\S]*# pass 3/);
      assert.match(pr!.body, /Usage of the whole task \(planning included\): 1,200 tokens in · 300 out · 2 model calls · \$0\.0123 · 1m 05s/);
      assert.deepEqual(gh.bodies("POST", /requested_reviewers$/), [{ reviewers: ["Codertocat"] }]);
      assert.deepEqual(gh.bodies("POST", /\/issues\/7\/labels$/), [{ labels: ["jules", "automated"] }]);
      const [check] = gh.bodies<Record<string, any>>("POST", /\/check-runs$/);
      assert.deepEqual(Object.keys(check!).sort(), ["completed_at", "conclusion", "external_id", "head_sha", "name", "output", "status"], "only the check run's fields are sent");
      assert.equal(check!.name, CHECK_NAME);
      assert.equal(check!.head_sha, await branchSha(remote(), BRANCH));
      assert.equal(check!.conclusion, "success");
      assert.equal(check!.external_id, task.id);
      gh.assertClean();
    } finally {
      await ws.dispose();
    }
  });

  it("on a retry prepared on the recorded branch, reuses the open pull request instead of opening a second one", async () => {
    const branch = "jules/4-make-the-answer-a-constant";
    const before = await earlierAttempt(branch);
    const task = fx.task({ issueNumber: 4, branch });
    const ws = await fx.git.manager.prepare(fx.git.request(task.id, { branch }));
    try {
      // The retried agent found the work already done: nothing new to commit.
      const gh = new GitHubMock(fx.git.owner, fx.git.repo).userLookup("Codertocat", REQUESTER_ID).openPulls(branch, { number: 8, draft: true }).reviewRequest(8).checkRun();
      const input = fx.input(task, ws);

      const result = await deliver(input);

      assert.deepEqual(result, {
        kind: "pull_request",
        number: 8,
        url: "https://github.com/acme/widget/pull/8",
        branch,
        draft: true,
        testsPassed: true,
        created: false,
        headSha: before,
      });
      assert.deepEqual(gh.bodies("POST", /\/pulls$/), [], "no second pull request");
      assert.equal(await branchSha(remote(), branch), before, "the branch is unchanged");
      assert.equal(gh.bodies<Record<string, string>>("POST", /\/check-runs$/)[0]?.head_sha, before);
      gh.assertClean();
    } finally {
      await ws.dispose();
    }
  });

  it("on a retry whose workspace starts from the base, answers with the earlier pull request and pushes nothing", async () => {
    const branch = "jules/5-make-the-answer-a-constant";
    await earlierAttempt(branch);
    const task = fx.task({ issueNumber: 5, branch });
    const branchesBefore = await fx.remoteBranches();
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 6 * 7;\n");
      await agentWrote(ws);
      const gh = new GitHubMock(fx.git.owner, fx.git.repo).openPulls(branch, { number: 12, draft: true });
      const input = fx.input(task, ws);

      const result = await deliver(input);

      assert.equal(result.kind, "pull_request");
      assert.equal(result.kind === "pull_request" && result.number, 12);
      assert.equal(result.kind === "pull_request" && result.created, false);
      assert.deepEqual(await fx.remoteBranches(), branchesBefore);
      assert.deepEqual(input.recorded, []);
      gh.assertClean();
    } finally {
      await ws.dispose();
    }
  });

  it("when GitHub says the pull request already exists (a concurrent attempt), answers with that one", async () => {
    const task = fx.task({ issueNumber: 2, instruction: "document the answer" });
    const branch = "jules/2-document-the-answer";
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await writeFile(join(ws.dir, "docs/guide.md"), "The answer is 42.\n");
      await agentWrote(ws);
      const gh = new GitHubMock(fx.git.owner, fx.git.repo)
        .userLookup("Codertocat", REQUESTER_ID)
        .openPulls(branch, null)
        .createPull({ number: 9, head: branch }, { conflict: true })
        .openPulls(branch, { number: 9, draft: false })
        .reviewRequest(9)
        .checkRun();

      const result = await deliver(fx.input(task, ws));

      assert.equal(result.kind === "pull_request" && result.number, 9);
      assert.equal(gh.bodies("POST", /\/pulls$/).length, 1);
      gh.assertClean();
    } finally {
      await ws.dispose();
    }
  });

  it("goes on when GitHub refuses the review request (the requester is not a collaborator)", async () => {
    const task = fx.task({ issueNumber: 3, instruction: "rename the guide", requestedBy: "outside-helper" });
    const branch = "jules/3-rename-the-guide";
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await writeFile(join(ws.dir, "docs/guide.md"), "Renamed.\n");
      await agentWrote(ws);
      const gh = new GitHubMock(fx.git.owner, fx.git.repo)
        .userLookup("outside-helper", null)
        .openPulls(branch, null)
        .createPull({ number: 11, head: branch, draft: true })
        .reviewRequest(11, 422)
        .checkRun();
      const input = fx.input(task, ws);

      const result = await deliver(input);

      assert.equal(result.kind === "pull_request" && result.number, 11);
      assert.doesNotMatch(await gitOut(remote(), "log", "-1", "--format=%B", branch), /Co-authored-by/, "an unknown login gets no trailer");
      assert.ok(input.logs.some((l) => l.level === "warn" && /refused the review request/.test(l.msg)));
      gh.assertClean();
    } finally {
      await ws.dispose();
    }
  });
});
