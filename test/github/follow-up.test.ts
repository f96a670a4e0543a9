import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { planHash } from "../../src/domain/plan-hash.ts";
import { AgentDouble } from "../helpers/agent-double.ts";
import { githubClock, githubTime } from "../helpers/github-clock.ts";
import { deliverIssueOne } from "../helpers/delivered-task.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment, reviewComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/** `/jules <feedback>` on a pull request: more commits on the branch of a pull request OpenJules opened. */
describe("follow-ups on a pull request", () => {
  let app: TestApp;
  let agent: AgentDouble;
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  /** Issue #1 planned, approved and delivered as pull request #7 (the delivery double's). */
  async function delivered(dataDir?: string) {
    agent = new AgentDouble();
    app = await startTestApp({ agent, ...(dataDir ? { dataDir } : {}) });
    return deliverIssueOne(app);
  }

  it("runs the agent again on the pull request's branch with the feedback, without a new plan or approval", async () => {
    const { gh, origin } = await delivered();
    gh.config(null, 2).role("hubot", "write").issue(7).threadComments(7).comments(7);
    const c = issueComment({ body: "/jules rename the helper and add a test", login: "hubot", onPullRequest: true, issueNumber: 7 });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    const followUp = await app.store.findLatest("Codertocat", "Hello-World", 7);
    assert.equal(followUp?.kind, "follow_up");
    assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
    assert.equal(followUp?.branch, origin.branch);
    assert.equal(followUp?.requestedBy, "hubot");
    assert.equal(followUp?.approvalKind, "person", "the writer's own request is a person's approval");
    // The pull request's thread was snapshotted when hubot asked, bound to the approval, and executed from (not fetched again).
    assert.equal(followUp?.planContext?.title, "Spelling error in the README file");
    assert.equal(planHash(followUp!.plan!, followUp!.planContext), followUp?.approvedPlanHash);
    assert.deepEqual(agent.executeRequests[1]?.thread, followUp?.planContext);
    assert.deepEqual(
      (await app.store.history(followUp!.id)).map((e) => e.to),
      ["queued", "approved", "working", "testing", "done"],
    );
    assert.equal(agent.planRequests.length, 1, "no new plan");
    assert.equal(agent.executeRequests[1]?.feedback, "rename the helper and add a test");
    const input = app.delivery.inputs[1];
    assert.equal(input?.task.kind, "follow_up");
    assert.equal(input?.task.branch, origin.branch);
    assert.match(gh.posted().at(-1)!, /openjules:status/, "the follow-up has its own status comment in the pull request's thread");
    gh.assertClean();
  });

  // A review comment's id is from another sequence than the thread's issue comments: the snapshot stops at its GitHub created_at.
  for (const [clock, skewMs, writtenAfterMs, kept] of [
    ["5 minutes behind", 5 * 60_000, -2 * 60_000, true],
    ["5 minutes ahead of", -5 * 60_000, 60_000, false],
  ] as const) {
    it(`snapshots a review comment's thread up to the comment as GitHub stamped it (app clock ${clock} GitHub's)`, async () => {
      await delivered();
      githubClock.skewMs = skewMs;
      try {
        const gh = new GitHubMock();
        const written = githubTime(Date.now() + skewMs + writtenAfterMs);
        gh.config(null, 2)
          .role("hubot", "write", 2)
          .issue(7)
          .threadComments(7, [{ author: "hubot", body: "Mind the empty list.", createdAt: written }])
          .comments(7);
        const c = reviewComment({ body: "/jules handle the empty case here", login: "hubot", pullNumber: 7, path: "src/config.ts", line: 12 });
        gh.reviewReaction(c.comment.id);
        await app.receive("pull_request_review_comment", c);
        await app.settle();
        const followUp = await app.store.findLatest("Codertocat", "Hello-World", 7);
        assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
        assert.deepEqual(
          followUp?.planContext?.comments.map((x) => x.body),
          kept ? ["Mind the empty list."] : [],
        );
        if (kept) gh.assertClean();
      } finally {
        githubClock.skewMs = 0;
      }
    });
  }

  it("takes a review comment's file and line into the follow-up", async () => {
    await delivered();
    const gh = new GitHubMock();
    gh.config(null, 2).role("hubot", "write").issue(7).threadComments(7).comments(7);
    const c = reviewComment({ body: "/jules handle the empty case here", login: "hubot", pullNumber: 7, path: "src/config.ts", line: 12 });
    gh.reviewReaction(c.comment.id);
    await app.receive("pull_request_review_comment", c);
    await app.settle();
    const followUp = await app.store.findLatest("Codertocat", "Hello-World", 7);
    assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
    assert.match(followUp?.plan?.summary ?? "", /src\/config\.ts line 12/);
    assert.deepEqual(followUp?.plan?.steps[0]?.files, ["src/config.ts"]);
    assert.equal(agent.executeRequests[1]?.plan.steps[0]?.detail, "handle the empty case here");
    gh.assertClean();
  });

  it("refuses a task on a pull request OpenJules did not open, and a follow-up without feedback", async () => {
    await delivered();
    const gh = new GitHubMock();
    gh.config(null, 2).role("hubot", "write", 2).comments(9).comments(7);
    const other = issueComment({ body: "/jules make it faster", login: "hubot", onPullRequest: true, issueNumber: 9 });
    const empty = issueComment({ body: "/jules", login: "hubot", onPullRequest: true, issueNumber: 7 });
    gh.reaction(other.comment.id).reaction(empty.comment.id);
    await app.receive("issue_comment", other);
    await app.receive("issue_comment", empty);
    await app.settle();
    const [notOurs, noText] = gh.posted();
    assert.match(notOurs!, /only take follow-ups on pull requests I opened/);
    assert.match(noText!, /[Tt]ell me what to change/);
    assert.equal(await app.store.findLatest("Codertocat", "Hello-World", 9), null);
    assert.equal(agent.executeRequests.length, 1);
    gh.assertClean();
  });

  it("runs a follow-up that the process left queued (it stopped before recording the approval) as a follow-up after a restart, never as a plan", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "jules-follow-up-"));
    afterAll(() => rm(dataDir, { recursive: true, force: true }));
    const { gh, origin } = await delivered(dataDir);
    // The process stopped right after creating the follow-up: no plan, no approval, no job, no status comment.
    const created = await app.store.create(
      { ...origin, issueNumber: 7, kind: "follow_up", instruction: "rename the helper", requestedBy: "hubot", triggerCommentId: 99_001 },
      "hubot",
      "follow-up on pull request #7",
    );
    assert.ok(created.created);
    await app.close();
    gh.token().identity().config(null).issue(7).threadComments(7).comments(7);
    app = await startTestApp({ agent, dataDir });
    await app.settle();

    const followUp = await app.store.get(created.task.id);
    assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
    assert.deepEqual(
      (await app.store.history(followUp!.id)).map((e) => e.to),
      ["queued", "approved", "working", "testing", "done"],
    );
    assert.equal(agent.planRequests.length, 1, "no plan for the follow-up");
    assert.equal(agent.executeRequests[1]?.feedback, "rename the helper");
    assert.equal(followUp?.branch, origin.branch);
    assert.equal(planHash(followUp!.plan!, followUp!.planContext), followUp?.approvedPlanHash);
    assert.match(gh.posted().at(-1)!, /openjules:status/, "the follow-up's status comment is posted in the pull request's thread");
    gh.assertClean();
  });
});
