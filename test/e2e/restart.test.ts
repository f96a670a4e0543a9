/**
 * Restarts, end to end: a process takes a `/jules` over HTTP and stops (on
 * SIGTERM with a short grace, or by crashing), and a new process opens the
 * same data directory. Queued and running jobs run after the restart, once;
 * a job whose worker keeps dying fails its task with the reason in the
 * status comment instead of looping.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import type { PlanOutcome, PlanRequest } from "../../src/agent/port.ts";
import { AgentDouble } from "../helpers/agent-double.ts";
import { mockPlanning, mockTrigger } from "../helpers/conversation-mocks.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";
import { within } from "../helpers/within.ts";

const OWNER = "Codertocat";
const REPO = "Hello-World";

/** An agent whose planning starts and then only ends when its run is aborted (the process stopping). */
function stuckAgent() {
  const agent = new AgentDouble();
  let started!: () => void;
  const planning = new Promise<void>((resolve) => (started = resolve));
  agent.plans.push(
    (req: PlanRequest) =>
      new Promise<PlanOutcome>((_, reject) => {
        started();
        req.signal.addEventListener("abort", () => reject(req.signal.reason), { once: true });
      }),
  );
  return { agent, planning };
}

describe("restarting the process", { timeout: 120_000 }, () => {
  let dataDir: string;
  const apps: TestApp[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "jules-restart-"));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close(0).catch(() => undefined);
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });
  const start = async (opts: Parameters<typeof startTestApp>[0]) => {
    const app = await startTestApp({ dataDir, ...opts });
    apps.push(app);
    return app;
  };

  it("runs a job that was still queued when the process stopped", async () => {
    const first = await start({ agent: new AgentDouble(), server: true, startWorker: false });
    const trigger = issueComment({ body: "/jules fix it", login: OWNER });
    assert.equal((await deliver(first.webhookUrl!, { name: "issue_comment", payload: trigger, secret: WEBHOOK_SECRET })).status, 200);
    assert.equal(await first.queue.depth(), 1);
    await first.close();

    const agent = new AgentDouble();
    const gh = mockPlanning(mockTrigger(new GitHubMock().token().anyEdits(), { commentId: trigger.comment.id }));
    const second = await start({ agent });
    await second.settle();
    assert.equal((await second.store.findActive(OWNER, REPO, 1))?.state, "awaiting_approval");
    assert.equal(agent.planRequests.length, 1);
    assert.equal(gh.posted().length, 2, "one status comment, one plan");
    gh.assertClean();
  });

  it("hands a running plan job back on stop and runs it once in the next process", async () => {
    // One GitHub for both processes: writes still in flight when a process stops land on it, never on the network.
    const gh = new GitHubMock().token().anyEdits();
    const stuck = stuckAgent();
    const first = await start({ agent: stuck.agent, server: true });
    const trigger = issueComment({ body: "/jules fix it", login: OWNER });
    mockTrigger(gh, { commentId: trigger.comment.id }).config(null).issue(1).threadComments(1); // planning gets as far as the agent
    assert.equal((await deliver(first.webhookUrl!, { name: "issue_comment", payload: trigger, secret: WEBHOOK_SECRET })).status, 200);
    await stuck.planning;
    await first.close(10); // SIGTERM with a tiny grace: the running job is handed back unfinished
    assert.equal(gh.posted().length, 1, "only the status comment before the stop");
    gh.assertClean();

    const agent = new AgentDouble();
    mockPlanning(gh.token());
    const second = await start({ agent });
    await within(60_000, second.settle(), "the handed-back job never finished in the new process");
    const task = await second.store.findActive(OWNER, REPO, 1);
    assert.equal(task?.state, "awaiting_approval");
    assert.equal(agent.planRequests.length, 1);
    assert.equal(gh.posted().filter((b) => /openjules:plan/.test(b)).length, 1, "exactly one plan comment");
    assert.equal(gh.posted().length, 2, "the status comment was not posted again");
    assert.equal((await second.store.history(task!.id)).filter((e) => e.to === "awaiting_approval").length, 1);
    gh.assertClean();
  });

  it("resumes a plan job after a crash, and fails the task with a comment once crashes used up its attempts", async () => {
    const env = { JULES_JOB_ATTEMPTS: "2", JULES_JOB_LEASE_MS: "1000" };
    const gh = new GitHubMock().token().anyEdits();
    const trigger = issueComment({ body: "/jules fix it", login: OWNER });

    // Process 1 takes the comment, starts planning, and dies (its lease is never released).
    const firstStuck = stuckAgent();
    const first = await start({ agent: firstStuck.agent, server: true, env });
    mockTrigger(gh, { commentId: trigger.comment.id }).config(null).issue(1).threadComments(1);
    assert.equal((await deliver(first.webhookUrl!, { name: "issue_comment", payload: trigger, secret: WEBHOOK_SECRET })).status, 200);
    await firstStuck.planning;
    first.queue.simulateCrash();
    await first.close(0);
    gh.assertClean();

    // Process 2 takes the job over once the lease expires, says so in the status comment, and dies too.
    const secondStuck = stuckAgent();
    gh.token().config(null).issue(1).threadComments(1);
    const second = await start({ agent: secondStuck.agent, env });
    await within(60_000, secondStuck.planning, "the new process never took the crashed job over");
    second.queue.simulateCrash();
    await second.close(0);
    assert.ok(
      gh.edited().some((b) => /Resumed after OpenJules restarted/.test(b)),
      "the status comment says the task resumed",
    );
    gh.assertClean();

    // Process 3 finds the job's attempts used up: the task fails, and the status comment says why.
    const agent = new AgentDouble();
    gh.token();
    const third = await start({ agent, env });
    await within(60_000, third.settle(), "the new process never finished reporting the failed job");
    const task = await third.store.findLatest(OWNER, REPO, 1);
    assert.equal(task?.state, "failed");
    assert.equal(task?.failure?.phase, "planning");
    assert.match(task?.failure?.reason ?? "", /stopped .*more often than allowed/);
    assert.ok(
      gh.edited().some((b) => /more often than allowed/.test(b)),
      "the status comment says why the task failed",
    );
    assert.equal(agent.planRequests.length, 0, "no third planning run");
    assert.equal(gh.posted().length, 1, "nothing posted besides the status comment");
    gh.assertClean();
  });
});
