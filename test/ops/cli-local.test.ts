import assert from "node:assert/strict";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import type { Plan } from "../../src/domain/model.ts";
import { planHash } from "../../src/domain/plan-hash.ts";
import { configuredBackends } from "../../src/ops/cli/backends.ts";
import { localControlPlane } from "../../src/ops/cli/local-plane.ts";
import { type CliDeps, runCli } from "../../src/ops/cli/program.ts";
import { tempWorkspaces } from "../helpers/agent-double.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock, testFetch } from "../helpers/github-mock.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { type OpsFixture, opsFixture, queuedJobIds } from "../helpers/ops-fixtures.ts";
import { INSTALLATION_ID } from "../helpers/payloads.ts";

const PLAN: Plan = { summary: "Guard the loader", steps: [{ title: "Return defaults", files: ["src/config.ts"] }], risks: [], verification: "npm test" };

/** The command line in-process on this machine's backends (real SQLite store and queue) and control plane, GitHub mocked at HTTP. */
async function cli(fx: OpsFixture, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDeps = {
    env: { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "secret", JULES_DATA_DIR: fx.dataDir, JULES_GITHUB_WRITE_INTERVAL_MS: "0", HOME: fx.dataDir },
    backends: configuredBackends,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    controlPlane: (settings, log, backends) => localControlPlane(settings, log, backends, { octokitRequest: { fetch: testFetch }, githubBackoffMs: 5, workspaces: tempWorkspaces }),
  };
  const code = await runCli(argv, deps);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("openjules tasks create / approve / events on this machine (the control plane over the real SQLite store)", () => {
  let fx: OpsFixture;
  beforeAll(async () => {
    fx = await opsFixture();
  });
  afterAll(() => fx.close());
  afterEach(() => GitHubMock.reset());

  it("create makes a task as the operator through the cli face and enqueues its planning; approve moves it on and enqueues execution", async () => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, INSTALLATION_ID);
    mockRepository(gh, { defaultBranch: "trunk" });
    gh.config(null); // create reads .github/jules.yml
    const created = await cli(fx, ["tasks", "create", "Codertocat/Hello-World", "fix", "the", "crash", "--json"]);
    assert.equal(created.code, 0, created.err);
    const { task, created: isNew } = JSON.parse(created.out);
    assert.deepEqual(
      [isNew, task.state, task.face, task.requestedBy, task.issueNumber, task.baseBranch, task.instruction, task.installationId],
      [true, "queued", "cli", "operator", null, "trunk", "fix the crash", INSTALLATION_ID],
    );
    assert.deepEqual(await queuedJobIds(fx), [`plan:${task.id}:1`]);

    // The plan as planning leaves it (the worker's part, through the store's own moves).
    const context = { title: "fix the crash", body: "", comments: [], issueDigest: "d" };
    const hash = planHash(PLAN, context);
    await fx.store.transition(task.id, { from: "queued", to: "planning", actor: "openjules", reason: "plan" });
    await fx.store.transition(task.id, {
      from: "planning",
      to: "awaiting_approval",
      actor: "openjules",
      reason: "planned",
      patch: { plan: PLAN, planContext: context, planHash: hash, planVersion: 1 },
    });

    gh.config(null, 2); // approve reads it, and once more for the second, refused approval
    const approved = await cli(fx, ["tasks", "approve", task.id, "--note", "looks right"]);
    assert.equal(approved.code, 0, approved.err);
    assert.equal(approved.out, `Task ${task.id} (Codertocat/Hello-World) was approved; it is now approved.`);
    const last = (await fx.store.history(task.id)).at(-1)!;
    assert.deepEqual([last.from, last.to, last.actor, last.face], ["awaiting_approval", "approved", "operator", "cli"]);
    assert.deepEqual(await queuedJobIds(fx), [`execute:${task.id}:${hash}`]);

    const again = await cli(fx, ["tasks", "approve", task.id]);
    assert.equal(again.code, 1);
    assert.equal(again.err, `Plan not waiting for approval: Task ${task.id} is approved; only a plan waiting for approval can be approved.`);
    gh.assertClean();

    const events = await cli(fx, ["tasks", "events", task.id, "--json"]);
    assert.equal(events.code, 0, events.err);
    assert.deepEqual(
      events.out.split("\n").map((l) => JSON.parse(l).data.to),
      ["queued", "planning", "awaiting_approval", "approved"],
    );
  });

  it("a repository the app is not installed on is refused with the control plane's words", async () => {
    const gh = new GitHubMock("someone", "elsewhere");
    mockRepoInstallation(gh, null);
    const r = await cli(fx, ["tasks", "create", "someone/elsewhere", "do", "it"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      "Repository not found: OpenJules is not installed on someone/elsewhere (or it does not exist); an admin of the repository can install the GitHub App on it.",
    );
    gh.assertClean();
  });
});
