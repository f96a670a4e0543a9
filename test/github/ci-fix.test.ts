import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import nock from "nock";
import { planHash } from "../../src/domain/plan-hash.ts";
import type { Task } from "../../src/domain/model.ts";
import { AgentDouble } from "../helpers/agent-double.ts";
import { checkRunCompleted, checkSuiteCompleted, workflowRunCompleted } from "../helpers/ci-payloads.ts";
import { actionsLog, type CheckRunFields, mockAnnotations, mockCheckRuns, mockJobLog, mockPullCommits } from "../helpers/github-checks.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { deliverIssueOne } from "../helpers/delivered-task.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * Fixing its own failing CI, as conversations: real check_suite, check_run
 * and workflow_run payloads for pull request #7 that OpenJules opened (the
 * delivery double's), GitHub mocked with every request and answer checked
 * against its OpenAPI description (the job log's 302 and download too), the
 * agent double recording what the follow-up was given.
 */
const HEAD = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const FIX = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
const BRANCH = "jules/1-fix";
const LOG_LINES = ["\u001b[31mnot ok 1 - value is the answer\u001b[39m", "  ---", "  AssertionError: expected 42, got 41", "  at test/value.test.js:7:10", "# fail 1"];
const failingTest = (headSha = HEAD, overrides: Partial<CheckRunFields> = {}): CheckRunFields => ({
  id: 555001,
  name: "test",
  headSha,
  conclusion: "failure",
  title: "1 failing test",
  summary: "value.test.js: value is the answer",
  annotations: 1,
  ...overrides,
});

describe("fixing its own failing CI", () => {
  let app: TestApp | null = null;
  let agent: AgentDouble;
  afterEach(async () => {
    await app?.close();
    app = null;
    GitHubMock.reset();
  });

  /** Issue #1 planned, approved and delivered as pull request #7 on jules/1-fix. */
  async function delivered(dataDir?: string): Promise<{ gh: GitHubMock; origin: Task }> {
    agent = new AgentDouble();
    app = await startTestApp({ agent, ...(dataDir ? { dataDir } : {}) });
    const { gh, origin } = await deliverIssueOne(app);
    assert.equal(origin.branch, BRANCH);
    gh.assertClean();
    GitHubMock.reset(); // its status edits' persisted answer goes too: each part of a test sees its own requests
    return { gh: new GitHubMock(), origin };
  }

  const base = (origin: Task) => origin.baseBranch ?? "master";
  const ciPosted = (gh: GitHubMock) => gh.posted().filter((b) => b.startsWith("<!-- openjules:ci-fix -->"));
  const ciEdited = (gh: GitHubMock) => gh.edited().filter((b) => b.startsWith("<!-- openjules:ci-fix -->"));
  const records = () => app!.store.ciFixes.list("Codertocat", "Hello-World", 7);

  /** What GitHub is asked when checks fail on HEAD: the settings, the pull request, the head's and the base's checks. */
  function failureSeen(gh: GitHubMock, origin: Task, yaml: string | null, opts: { headSha?: string; baseRuns?: CheckRunFields[] | null; runs?: CheckRunFields[] } = {}) {
    const headSha = opts.headSha ?? HEAD;
    gh.config(yaml).pull({ number: 7, head: BRANCH, headSha, base: base(origin) });
    mockCheckRuns(gh, headSha, opts.runs ?? [failingTest(headSha), { id: 555002, name: "lint", headSha, conclusion: "success" }]);
    if (opts.baseRuns !== null) mockCheckRuns(gh, base(origin), opts.baseRuns ?? [{ id: 444001, name: "test", headSha: "f".repeat(40), conclusion: "success" }]);
  }

  /** The follow-up started with the evidence: what failed is read, the pull request's thread snapshotted, its status and the CI comment posted, then it runs. */
  function followUpStarts(gh: GitHubMock, yaml: string | null, opts: { fixedHead?: string; ciCommentExists?: boolean; logRefused?: boolean } = {}) {
    mockAnnotations(gh, 555001, [{ path: "test/value.test.js", line: 7, message: "AssertionError: expected 42, got 41" }]);
    mockJobLog(gh, 555001, actionsLog(LOG_LINES), { refused: opts.logRefused === true });
    gh.issue(7)
      .threadComments(7)
      .comments(7, { times: opts.ciCommentExists ? 1 : 2 });
    // The execute job: its settings; then the commit it left on the pull request, for the CI comment.
    gh.config(yaml).pull({ number: 7, head: BRANCH, headSha: opts.fixedHead ?? FIX });
  }

  it("ci_fix: auto starts a follow-up on the pull request's branch with what failed, once for the three events of one failure", async () => {
    const { gh, origin } = await delivered();
    gh.anyEdits();
    failureSeen(gh, origin, "ci_fix: auto\n");
    mockPullCommits(gh, 7, [{ sha: HEAD, by: "openjules[bot]" }]);
    followUpStarts(gh, "ci_fix: auto\n");
    const event = { headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" as const };
    await app!.receive("check_run", checkRunCompleted({ ...event, checkRunId: 555001 }));
    await app!.receive("check_suite", checkSuiteCompleted(event));
    await app!.receive("workflow_run", workflowRunCompleted(event));
    await app!.settle();

    const followUp = await app!.store.findLatest("Codertocat", "Hello-World", 7);
    assert.equal(followUp?.kind, "follow_up");
    assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
    assert.equal(followUp?.branch, BRANCH);
    assert.equal(followUp?.approvalKind, "auto", "started by ci_fix: auto, not approved by a person");
    assert.equal(followUp?.approvedBy, null);
    assert.equal(planHash(followUp!.plan!, followUp!.planContext), followUp?.approvedPlanHash, "the evidence is bound to the approval");
    const ci = followUp?.planContext?.ci;
    assert.deepEqual([ci?.headSha, ci?.checks, ci?.automatic], [HEAD, ["test"], true]);
    assert.match(followUp!.instruction, /Make the failing checks pass: "test" failed on commit a1b2c3d4e5f6/);

    const feedback = agent.executeRequests.at(-1)?.feedback ?? "";
    assert.equal(agent.executeRequests.length, 2, "one follow-up for the three events");
    for (const expected of [
      /## test \(github-actions: failure\)/,
      /Title: 1 failing test/,
      /test\/value\.test\.js:7 \(failure\): AssertionError: expected 42, got 41/,
      /not ok 1 - value is the answer/,
      /Error: Process completed with exit code 1\./,
    ]) {
      assert.match(feedback, expected);
    }
    assert.doesNotMatch(feedback, /\u001b|2024-05-04T01:14|Cleaning up orphan processes/, "ANSI colours, timestamps and the clean-up after the error are left out");
    assert.doesNotMatch(followUp!.plan!.steps.map((s) => `${s.title} ${s.detail ?? ""}`).join(" "), /AssertionError/, "CI output is feedback (delimited data), never plan text");

    const [record] = await records();
    assert.deepEqual([record?.decision, record?.automatic, record?.taskId, record?.fixSha], ["started", true, followUp?.id, FIX]);
    assert.equal(ciPosted(gh).length, 1);
    assert.match(ciPosted(gh)[0]!, /\| `a1b2c3d` \| \[`test`\]\(https:\/\/github\.com\/Codertocat\/Hello-World\/runs\/555001\) \| Fix attempt 1 of 2 \(automatic\) \|/);
    assert.match(ciEdited(gh).at(-1)!, /⏳ pushed `0a1b2c3`, waiting for the checks/);
    gh.assertClean();
    assert.deepEqual(nock.pendingMocks(), [], "the log was downloaded, without the installation token");

    // The checks pass on the fix: the attempt's outcome says so.
    gh.config("ci_fix: auto\n").pull({ number: 7, head: BRANCH, headSha: FIX });
    mockCheckRuns(gh, FIX, [
      { id: 556001, name: "test", headSha: FIX, conclusion: "success" },
      { id: 556002, name: "OpenJules tests", headSha: FIX, conclusion: "failure", app: { id: 1, slug: "openjules" } },
    ]);
    await app!.receive("check_suite", checkSuiteCompleted({ headSha: FIX, branch: BRANCH, pullNumber: 7, conclusion: "success", suiteId: 9001 }));
    await app!.settle();
    assert.equal((await records())[0]?.verdict, "passed");
    assert.match(ciEdited(gh).at(-1)!, /✅ checks pass on `0a1b2c3`/);
    gh.assertClean();
  });

  it("ci_fix: ask posts the failing checks with the /jules fix-ci suggestion, and /jules fix-ci starts the follow-up", async () => {
    const { gh, origin } = await delivered();
    failureSeen(gh, origin, null);
    gh.comments(7);
    await app!.receive("check_run", checkRunCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "timed_out", checkRunId: 555001 }));
    await app!.settle();
    assert.equal(agent.executeRequests.length, 1, "nothing started on its own");
    assert.equal((await records())[0]?.decision, "suggested");
    const [posted] = ciPosted(gh);
    assert.match(posted!, /A check fails on `a1b2c3d`\. Comment `\/jules fix-ci` to have me try to fix it on this branch\./);
    assert.match(posted!, /Waiting for `\/jules fix-ci`/);
    gh.assertClean();

    const ask = issueComment({ body: "/jules fix-ci", login: "hubot", onPullRequest: true, issueNumber: 7 });
    gh.config(null).reaction(ask.comment.id).role("hubot", "write").pull({ number: 7, head: BRANCH, headSha: HEAD });
    mockCheckRuns(gh, HEAD, [failingTest(HEAD, { conclusion: "timed_out" })]);
    mockCheckRuns(gh, base(origin), []);
    followUpStarts(gh.anyEdits(), null, { fixedHead: HEAD, ciCommentExists: true });
    await app!.receive("issue_comment", ask);
    await app!.settle();
    const followUp = await app!.store.findLatest("Codertocat", "Hello-World", 7);
    assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
    assert.deepEqual([followUp?.requestedBy, followUp?.approvalKind, followUp?.planContext?.ci?.automatic], ["hubot", "person", false]);
    assert.match(agent.executeRequests.at(-1)?.feedback ?? "", /## test \(github-actions: timed_out\)[\s\S]*AssertionError: expected 42, got 41/);
    const [record] = await records();
    assert.deepEqual(
      [record?.decision, record?.automatic, record?.detail, record?.taskId],
      ["requested", false, "hubot", followUp?.id],
      "a person's request is not an automatic attempt",
    );
    assert.match(ciEdited(gh).at(-1)!, /Fix asked for by @\u200bhubot with `\/jules fix-ci` \| .*✅ done, without a new commit/);
    gh.assertClean();
  });

  it("goes on from the check's own output when GitHub refuses the job's log (no actions: read)", async () => {
    const { gh, origin } = await delivered();
    gh.anyEdits();
    failureSeen(gh, origin, "ci_fix: auto\n");
    mockPullCommits(gh, 7, [{ sha: HEAD, by: "openjules[bot]" }]);
    followUpStarts(gh, "ci_fix: auto\n", { logRefused: true });
    await app!.receive("check_run", checkRunCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure", checkRunId: 555001 }));
    await app!.settle();
    const feedback = agent.executeRequests.at(-1)?.feedback ?? "";
    assert.match(feedback, /Title: 1 failing test[\s\S]*AssertionError: expected 42, got 41/);
    assert.match(feedback, /\(The job's log could not be read: GitHub answered 403 \(the app may lack the actions: read permission on this installation\)\.\)/);
    assert.equal((await records())[0]?.decision, "started");
    gh.assertClean();
  });

  it("ci_fix: off does nothing at all", async () => {
    const { gh } = await delivered();
    gh.config("ci_fix: off\n");
    await app!.receive("check_suite", checkSuiteCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" }));
    await app!.settle();
    assert.deepEqual(await records(), []);
    assert.deepEqual(gh.posted(), []);
    gh.assertClean();
  });

  it("/jules fix-ci answers when nothing fails, and refuses a reader", async () => {
    const { gh } = await delivered();
    const ask = issueComment({ body: "/jules fix-ci", login: "hubot", onPullRequest: true, issueNumber: 7 });
    gh.config(null).reaction(ask.comment.id).role("hubot", "write").pull({ number: 7, head: BRANCH, headSha: HEAD }).comments(7);
    mockCheckRuns(gh, HEAD, [
      { id: 1, name: "test", headSha: HEAD, conclusion: "success" },
      { id: 2, name: "e2e", headSha: HEAD, conclusion: null, status: "in_progress" },
    ]);
    await app!.receive("issue_comment", ask);
    const reader = issueComment({ body: "/jules fix-ci", login: "lurker", onPullRequest: true, issueNumber: 7 });
    gh.config(null).reaction(reader.comment.id).role("lurker", "read").comments(7);
    await app!.receive("issue_comment", reader);
    await app!.settle();
    const [nothing, refused] = gh.posted();
    assert.match(nothing!, /No check fails on the pull request's latest commit a1b2c3d \(1 still running: ask again once they end\)\. I did nothing\./);
    assert.match(refused!, /lurker/);
    assert.match(refused!, /read/);
    assert.equal(agent.executeRequests.length, 1);
    gh.assertClean();
  });

  describe("limits", () => {
    it("never acts on its own check runs or check suites", async () => {
      const { gh } = await delivered();
      const own = { headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" as const };
      await app!.receive("check_run", checkRunCompleted({ ...own, app: { id: 1, slug: "openjules" }, name: "OpenJules tests" }));
      await app!.receive("check_suite", checkSuiteCompleted({ ...own, app: { id: 1, slug: "openjules" } }));
      await app!.receive("check_run", checkRunCompleted({ ...own, name: "OpenJules tests" }));
      await app!.settle();
      // Another app's failure on the same head is read, and OpenJules's own failing check among its runs is left out.
      failureSeen(gh, (await app!.store.findByPullRequest("Codertocat", "Hello-World", 7))!, null, {
        runs: [{ id: 9, name: "OpenJules tests", headSha: HEAD, conclusion: "failure", app: { id: 1, slug: "openjules" } }],
        baseRuns: null,
      });
      await app!.receive("check_run", checkRunCompleted({ ...own, name: "lint" }));
      await app!.settle();
      assert.deepEqual(await records(), [], "only OpenJules's own check failed: nothing to fix");
      assert.deepEqual(gh.posted(), []);
      gh.assertClean();
    });

    it("counts automatic attempts across a restart and stops at max_ci_fix_attempts", async () => {
      const dataDir = await mkdtemp(join(tmpdir(), "jules-ci-fix-"));
      try {
        const { gh, origin } = await delivered(dataDir);
        gh.anyEdits();
        const yaml = "ci_fix: auto\nmax_ci_fix_attempts: 1\n";
        failureSeen(gh, origin, yaml);
        mockPullCommits(gh, 7, [{ sha: HEAD, by: "openjules[bot]" }]);
        followUpStarts(gh, yaml);
        await app!.receive("check_suite", checkSuiteCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" }));
        await app!.settle();
        assert.equal((await records())[0]?.decision, "started");
        gh.assertClean();

        await app!.close();
        GitHubMock.reset();
        agent = new AgentDouble();
        app = await startTestApp({ agent, dataDir });
        const after = new GitHubMock().token().anyEdits();
        failureSeen(after, origin, yaml, { headSha: FIX });
        mockPullCommits(after, 7, [
          { sha: HEAD, by: "openjules[bot]" },
          { sha: FIX, by: "openjules[bot]" },
        ]);
        after.identity();
        await app.receive("check_run", checkRunCompleted({ headSha: FIX, branch: BRANCH, pullNumber: 7, conclusion: "failure" }));
        await app.settle();
        const [first, second] = await records();
        assert.deepEqual([first?.verdict, second?.decision, second?.reason], ["failed", "skipped", "limit"]);
        assert.equal(agent.executeRequests.length, 0, "no second attempt");
        const shown = ciEdited(after).at(-1)!;
        assert.match(shown, /❌ checks failed again on `0a1b2c3`/);
        assert.match(shown, /I made the 1 automatic fix attempt this pull request gets \(`max_ci_fix_attempts: 1` in `\.github\/jules\.yml`\)\. Comment `\/jules fix-ci`/);
        after.assertClean();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it("stops automatic attempts when a person pushed after its last commit, and says so", async () => {
      const { gh, origin } = await delivered();
      failureSeen(gh, origin, "ci_fix: auto\n");
      mockPullCommits(gh, 7, [
        { sha: FIX, by: "openjules[bot]" },
        { sha: HEAD, by: "hubot" },
      ]);
      gh.comments(7);
      await app!.receive("check_run", checkRunCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" }));
      await app!.settle();
      const [record] = await records();
      assert.deepEqual([record?.decision, record?.reason, record?.detail], ["skipped", "human", `hubot ${HEAD}`]);
      assert.equal(agent.executeRequests.length, 1);
      assert.match(ciPosted(gh)[0]!, /@\u200bhubot pushed `a1b2c3d` after my last commit, so I stopped fixing CI on my own/);
      gh.assertClean();
    });

    it("leaves checks that fail on the base branch too alone, and says so", async () => {
      const { gh, origin } = await delivered();
      failureSeen(gh, origin, "ci_fix: auto\n", { baseRuns: [{ id: 444001, name: "test", headSha: "f".repeat(40), conclusion: "failure" }] });
      gh.comments(7);
      await app!.receive("workflow_run", workflowRunCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" }));
      await app!.settle();
      const [record] = await records();
      assert.deepEqual([record?.decision, record?.reason, record?.checks[0]?.onBase], ["skipped", "base", true]);
      assert.equal(agent.executeRequests.length, 1);
      const [posted] = ciPosted(gh);
      assert.match(posted!, new RegExp(`Every failing check on \`a1b2c3d\` fails on \`${base(origin)}\` too, at its head: that is not this pull request's doing`));
      assert.match(posted!, /\(fails on the base branch too\)/);
      gh.assertClean();
    });

    it("ignores checks on a commit that is no longer the pull request's head", async () => {
      const { gh } = await delivered();
      gh.config("ci_fix: auto\n").pull({ number: 7, head: BRANCH, headSha: FIX });
      await app!.receive("check_run", checkRunCompleted({ headSha: HEAD, branch: BRANCH, pullNumber: 7, conclusion: "failure" }));
      await app!.settle();
      assert.deepEqual(await records(), []);
      gh.assertClean();
    });
  });
});
