import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { configuredBackends } from "../../src/ops/cli/backends.ts";
import { runCli, type CliDeps } from "../../src/ops/cli/program.ts";
import { localControlPlane } from "../../src/ops/cli/local-plane.ts";
import { taskMigrations } from "../../src/store/sqlite/migrations/all.ts";
import type { Task } from "../../src/domain/model.ts";
import { tempWorkspaces } from "../helpers/agent-double.ts";
import { GitHubMock, testFetch } from "../helpers/github-mock.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { opsFixture, PLAN, seedTask, writeTranscript, type OpsFixture, queuedJobIds } from "../helpers/ops-fixtures.ts";

/** Runs the command line in-process against the fixture's data directory; returns exit code and output. */
async function cli(fx: OpsFixture, argv: string[], extra: Partial<CliDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "secret", JULES_DATA_DIR: fx.dataDir, JULES_GITHUB_WRITE_INTERVAL_MS: "0" };
  const code = await runCli(argv, { env, backends: configuredBackends, controlPlane, out: (t) => out.push(t), err: (t) => err.push(t), ...extra });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** This machine's control plane (as main.ts wires it), its GitHub App talking to the mocked GitHub. */
const controlPlane: CliDeps["controlPlane"] = (settings, log, backends) =>
  localControlPlane(settings, log, backends, { workspaces: tempWorkspaces, githubBackoffMs: 5, octokitRequest: { fetch: testFetch } });

describe("openjules tasks (in-process, real SQLite store and queue)", () => {
  let fx: OpsFixture;
  let failed: Task;
  let waiting: Task;
  beforeAll(async () => {
    fx = await opsFixture();
    await seedTask(fx.store, "done");
    waiting = await seedTask(fx.store, "awaiting_approval", { owner: "acme", repo: "api" });
    failed = await seedTask(fx.store, "failed");
    await writeTranscript(fx.dataDir, failed.id);
  });
  afterAll(() => fx.close());
  afterEach(() => GitHubMock.reset());

  it("lists tasks as a table or as JSON, with filters", async () => {
    const text = await cli(fx, ["tasks", "list"]);
    assert.equal(text.code, 0);
    assert.match(text.out, /^ID +STATE +WHERE +UPDATED \(UTC\) +TITLE/);
    assert.match(text.out, new RegExp(`${failed.id}  failed +Codertocat/Hello-World#${failed.issueNumber}`));
    const json = await cli(fx, ["tasks", "list", "--repo", "acme/api", "--json"]);
    assert.deepEqual(
      JSON.parse(json.out).tasks.map((t: { id: string }) => t.id),
      [waiting.id],
    );
    const paged = JSON.parse((await cli(fx, ["tasks", "list", "--limit", "1", "--json"])).out);
    assert.deepEqual([paged.tasks.length, paged.nextOffset], [1, 1]);
  });

  it("refuses a bad filter with the option's name and exit code 1", async () => {
    const r = await cli(fx, ["tasks", "list", "--state", "stuck"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^--state must be one of queued/);
    const j = await cli(fx, ["tasks", "list", "--limit", "9999", "--json"]);
    assert.match(JSON.parse(j.err).error, /--limit must be an integer from 1 to 500/);
  });

  it("shows a task with plan, failure, history and transcript counts", async () => {
    const r = await cli(fx, ["tasks", "show", waiting.id]);
    assert.equal(r.code, 0);
    assert.match(r.out, /plan +v1: Guard against an empty config file .*#issuecomment-777/);
    assert.match(r.out, /1\. Return defaults when the file is empty \(src\/config\.ts\)/);
    assert.match(r.out, /History\n .* \(new\) -> queued  by octocat: test\n .* queued -> planning/);
    const j = JSON.parse((await cli(fx, ["tasks", "show", failed.id, "--json"])).out);
    assert.deepEqual([j.task.state, j.transcript.modelCalls, j.transcript.tools], ["failed", 2, { read_file: 2, search: 1 }]);
    const missing = await cli(fx, ["tasks", "show", "0b7d4e2a-1111-4111-8111-111111111111"]);
    assert.deepEqual([missing.code, missing.err], [1, "No task with id 0b7d4e2a-1111-4111-8111-111111111111; find ids with: openjules tasks list"]);
  });

  it("prints the transcript readably (redacted, control characters neutralised) or as JSON lines", async () => {
    const r = await cli(fx, ["tasks", "logs", failed.id]);
    assert.equal(r.code, 0);
    assert.match(r.out, /== Planning with openai gpt-4\.1; tools: read_file, search/);
    assert.match(r.out, /model turn 1 \(10 ms, 100 in \/ 20 out, tool_use\)\n {4}Looking\n {2}-> read_file \{\}/);
    assert.match(r.out, /tool search \(1 ms\) ERROR:\n {4}bad regex/);
    assert.match(r.out, /\(unreadable line\)$/);
    assert.doesNotMatch(r.out, /sk-test-secret-value-123456/);
    assert.doesNotMatch(r.out, /\u001b/);
    const j = await cli(fx, ["tasks", "logs", failed.id, "--json"]);
    const lines = j.out.split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 9);
    assert.deepEqual([lines[0].type, lines.at(-1)], ["start", null]);
    const none = await cli(fx, ["tasks", "logs", waiting.id]);
    assert.deepEqual([none.code, /has no transcript/.test(none.err)], [1, true]);
  });

  it("cancel moves a live task to cancelled as the operator and updates its status comment on GitHub", async () => {
    const task = await seedTask(fx.store, "working");
    await fx.store.update(task.id, { statusCommentId: 4242 });
    const mock = new GitHubMock().token().edits(1);
    const r = await cli(fx, ["tasks", "cancel", task.id, "--reason", "superseded by #12", "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).state, "cancelled");
    const last = (await fx.store.history(task.id)).at(-1)!;
    assert.deepEqual([last.from, last.to, last.actor, last.face, last.reason], ["working", "cancelled", "operator", "cli", "superseded by #12"]);
    assert.match(mock.edited()[0]!, /Cancelled/);
    mock.assertClean();
    const again = await cli(fx, ["tasks", "cancel", task.id]);
    assert.deepEqual([again.code, again.err], [1, `Task already ended: Task ${task.id} is already cancelled; there is nothing to cancel.`]);
  });

  it("retry creates a new task with the same request, posts its status comment and enqueues planning", async () => {
    const mock = new GitHubMock().token().comments(failed.issueNumber!);
    const r = await cli(fx, ["tasks", "retry", failed.id, "--json"]);
    assert.equal(r.code, 0, r.err);
    const task = JSON.parse(r.out);
    assert.notEqual(task.id, failed.id);
    assert.deepEqual([task.state, task.kind, task.face], ["queued", "issue", "cli"]);
    assert.deepEqual([task.issueNumber, task.instruction, task.requestedBy, task.triggerCommentId], [failed.issueNumber, failed.instruction, "octocat", null]);
    assert.ok(task.statusCommentId > 0);
    assert.deepEqual(
      (await fx.store.history(task.id)).map((e) => [e.actor, e.reason]),
      [["operator", `retry of task ${failed.id}`]],
    );
    assert.deepEqual(await queuedJobIds(fx), [`plan:${task.id}:1`]);
    mock.assertClean();
    const busy = await cli(fx, ["tasks", "retry", failed.id]);
    assert.equal(busy.code, 1);
    assert.match(busy.err, new RegExp(`^Issue busy: .* already has an active task, ${task.id} \\(queued\\)`));
    const text = await cli(fx, ["tasks", "retry", (await seedTask(fx.store, "failed")).id]);
    assert.match(text.out, /^Task \S+ \(Codertocat\/Hello-World#\d+\) was created to retry \S+; it is now queued\.$/);
    await queuedJobIds(fx);
  });

  it("retry refuses done and live tasks, saying what to do instead", async () => {
    const done = (await fx.store.list({ state: "done" }))[0]!;
    assert.match((await cli(fx, ["tasks", "retry", done.id])).err, /^Task done: .* is done; there is nothing to retry/);
    assert.match(
      (await cli(fx, ["tasks", "retry", waiting.id])).err,
      /^Task still live: .* is still awaiting_approval; only a failed or cancelled task can be retried \(cancel it first\)/,
    );
  });

  it("retry of a follow-up re-runs its approved feedback on the same branch; without GitHub the comment is deferred", async () => {
    const created = await fx.store.create(
      {
        installationId: 1,
        owner: "Codertocat",
        repo: "Hello-World",
        issueNumber: 9,
        kind: "follow_up",
        cloneUrl: "https://github.com/Codertocat/Hello-World.git",
        instruction: "rename it",
        issueTitle: "t",
        requestedBy: "octocat",
        triggerCommentId: 99,
        command: "jules",
        baseBranch: null,
      },
      "octocat",
      "follow-up",
    );
    assert.ok(created.created);
    const patch = {
      plan: PLAN,
      planHash: "h9",
      approvedBy: "octocat",
      approvedPlanHash: "h9",
      branch: "jules/9-rename",
      pullRequestNumber: 9,
      pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/9",
    };
    await fx.store.transition(created.task.id, { from: "queued", to: "approved", actor: "octocat", reason: "r", patch });
    await fx.store.transition(created.task.id, { from: "approved", to: "failed", actor: "openjules", reason: "r" });
    const r = await cli(fx, ["tasks", "retry", created.task.id, "--json"]);
    assert.equal(r.code, 0, r.err);
    const task = JSON.parse(r.out);
    assert.deepEqual(
      [task.kind, task.state, task.branch, task.approvedPlanHash, task.triggerCommentId, task.statusCommentId],
      ["follow_up", "approved", "jules/9-rename", "h9", null, null],
    );
    assert.deepEqual(await queuedJobIds(fx), [`execute:${task.id}:h9`]);
  });
});

describe("openjules migrate and doctor (in-process)", () => {
  it("migrate creates the schema in a fresh data directory, then reports it up to date", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "jules-migrate-"));
    const fx = { dataDir } as OpsFixture;
    try {
      const first = await cli(fx, ["migrate", "--json"]);
      assert.equal(first.code, 0, first.err);
      const latest = taskMigrations.length;
      assert.deepEqual(JSON.parse(first.out), [
        { component: "tasks", backend: "sqlite", applied: taskMigrations.map((_, i) => i + 1), version: latest },
        { component: "jobs", backend: "sqlite", applied: [1], version: 1 },
      ]);
      assert.match(
        (await cli(fx, ["migrate"])).out,
        new RegExp(`^tasks \\(sqlite\\) +schema version ${latest} \\(up to date\\)\\njobs \\(sqlite\\) +schema version 1 \\(up to date\\)$`),
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("settings errors stop a command with the settings message and exit code 1", async () => {
    const r = await runCli(["tasks", "list"], {
      env: { APP_ID: "x" },
      backends: configuredBackends,
      out: () => undefined,
      err: (t) => assert.match(t, /APP_ID must be the numeric App ID/),
    });
    assert.equal(r, 1);
  });

  it("help and unknown commands use commander's exit codes", async () => {
    const out: string[] = [];
    const deps: CliDeps = { env: {}, backends: configuredBackends, out: (t) => out.push(t), err: (t) => out.push(t) };
    assert.equal(await runCli(["--help"], deps), 0);
    assert.match(out.join("\n"), /tasks +inspect and manage tasks/);
    assert.equal(await runCli(["frobnicate"], deps), 1);
    assert.match(out.join("\n"), /unknown command 'frobnicate'/);
  });
});
