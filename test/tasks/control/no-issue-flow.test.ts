import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { AgentDouble } from "../../helpers/agent-double.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../../helpers/github-app-mock.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { OWNER, REPO, user, withHarness } from "./harness.ts";

/** A task without an issue from end to end through the control plane: no comment is ever posted, the plan is approved through a face. */
describe("control plane: a task without an issue", () => {
  const agent = new AgentDouble();
  const h = withHarness({ startWorker: true, agent });

  it("plans, waits for an approval through the API, executes and records the pull request, with no comment in any thread", async () => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, 2);
    mockRepository(gh);
    // create, the plan job, the approval and the execute job each read .github/jules.yml.
    gh.config(null, 4).role("mona", "write", 2).role("hubot", "write").identity();
    const made = await h().plane.create(user("mona"), { repository: `${OWNER}/${REPO}`, instruction: "Add a --json flag to the CLI" });
    assert.ok(made.ok, made.ok ? "" : made.error.detail);
    const id = made.value.task.id;
    const planned = await h().plane.waitForChange(user("mona"), id, { state: "planning", timeoutMs: 10_000 });
    await h().app.settle();
    const waiting = await h().deps.store.get(id);
    assert.deepEqual([planned.ok, waiting?.state, waiting?.planCommentId, waiting?.planContext?.body], [true, "awaiting_approval", null, "Add a --json flag to the CLI"]);
    assert.equal(agent.planRequests[0]?.thread.comments.length, 0);

    const approved = await h().plane.approve(user("hubot"), id, {});
    assert.ok(approved.ok, approved.ok ? "" : approved.error.detail);
    await h().app.settle();
    const done = await h().deps.store.get(id);
    assert.deepEqual([done?.state, done?.pullRequestNumber, done?.approvedBy, done?.statusCommentId], ["done", 7, "hubot", null]);
    assert.equal(h().app.delivery.inputs[0]?.task.issueNumber, null);
    assert.deepEqual(gh.posted(), []);
    assert.deepEqual(gh.edited(), []);
    gh.assertClean();
  });
});
