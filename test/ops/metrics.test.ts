import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { pino } from "pino";
import { createIntake } from "../../src/github/intake.ts";
import type { CommentEvent } from "../../src/github/events.ts";
import { cached } from "../../src/ops/cached.ts";
import { meteredIntake, meteredStore } from "../../src/ops/instrument.ts";
import { meteredRunner } from "../../src/ops/metered-runner.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { liveTaskCounts } from "../../src/ops/task-counts.ts";
import { createSandboxRunner } from "../../src/sandbox/index.ts";
import { opsFixture, seedTask, type OpsFixture } from "../helpers/ops-fixtures.ts";
import { parsePromText, sampleValue } from "../helpers/prom-text.ts";

const scrape = async (metrics: Metrics) => parsePromText(await metrics.render());

describe("Metrics", () => {
  it("renders valid exposition text with the default process metrics and every recorded series", async () => {
    const m = new Metrics();
    m.webhook("issue_comment", "queued");
    m.webhook("issue_comment", "queued");
    m.webhook("issues.labeled", "ignored");
    m.phase("planning", 90_000);
    m.jobWait("plan", 250);
    m.llmUsage("openai", "gpt-4.1", { inputTokens: 1200, outputTokens: 300, costUsd: 0.0048 });
    m.llmUsage("openai", "gpt-4.1", { inputTokens: 800, outputTokens: 0 });
    m.sandboxRun("passed");
    m.sandboxRun("timeout");
    m.githubCall("post", 201, 4990, "core");
    m.githubCall("GET", 0);
    m.taskFinished("done");
    const s = await scrape(m);
    assert.ok(sampleValue(s, "process_cpu_user_seconds_total") !== undefined, "default process metrics are on");
    assert.equal(sampleValue(s, "openjules_webhooks_total", { event: "issue_comment", outcome: "queued" }), 2);
    assert.equal(sampleValue(s, "openjules_webhooks_total", { event: "issues.labeled", outcome: "ignored" }), 1);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_sum", { phase: "planning" }), 90);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_bucket", { phase: "planning", le: "60" }), 0);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_bucket", { phase: "planning", le: "120" }), 1);
    assert.equal(sampleValue(s, "openjules_job_wait_seconds_count", { name: "plan" }), 1);
    assert.equal(sampleValue(s, "openjules_llm_tokens_total", { provider: "openai", model: "gpt-4.1", direction: "input" }), 2000);
    assert.equal(sampleValue(s, "openjules_llm_tokens_total", { provider: "openai", model: "gpt-4.1", direction: "output" }), 300);
    assert.equal(sampleValue(s, "openjules_llm_calls_total", { provider: "openai", model: "gpt-4.1" }), 2);
    assert.equal(sampleValue(s, "openjules_llm_cost_usd_total", { provider: "openai", model: "gpt-4.1" }), 0.0048);
    assert.equal(sampleValue(s, "openjules_sandbox_runs_total", { outcome: "timeout" }), 1);
    assert.equal(sampleValue(s, "openjules_github_requests_total", { method: "POST", status: "201" }), 1);
    assert.equal(sampleValue(s, "openjules_github_requests_total", { method: "GET", status: "0" }), 1);
    assert.equal(sampleValue(s, "openjules_github_rate_limit_remaining", { resource: "core" }), 4990);
    assert.equal(sampleValue(s, "openjules_tasks_finished_total", { state: "done" }), 1);
  });

  it("keeps registries apart: two instances do not share series", async () => {
    const a = new Metrics({ defaultMetrics: false });
    const b = new Metrics({ defaultMetrics: false });
    a.sandboxRun("failed");
    assert.equal(sampleValue(await scrape(b), "openjules_sandbox_runs_total", { outcome: "failed" }), undefined);
  });

  it("reads gauges from their sources on scrape, caches task counts, and survives a failing source", async () => {
    let reads = 0;
    let depth = 3;
    let broken = false;
    const errors: string[] = [];
    const m = new Metrics({
      defaultMetrics: false,
      taskCountsCacheMs: 60_000,
      sources: {
        taskCounts: async () => ({ queued: 2, working: ++reads }),
        queueDepth: async () => {
          if (broken) throw new Error("redis down");
          return depth;
        },
      },
      onSourceError: (source) => errors.push(source),
    });
    let s = await scrape(m);
    assert.equal(sampleValue(s, "openjules_tasks", { state: "queued" }), 2);
    assert.equal(sampleValue(s, "openjules_tasks", { state: "working" }), 1);
    assert.equal(sampleValue(s, "openjules_queue_depth"), 3);
    depth = 5;
    s = await scrape(m);
    assert.equal(reads, 1, "task counts came from the cache the second time");
    assert.equal(sampleValue(s, "openjules_queue_depth"), 5, "queue depth is read on every scrape");
    broken = true;
    s = await scrape(m);
    assert.equal(sampleValue(s, "openjules_queue_depth"), 5, "the last value stays");
    assert.equal(sampleValue(s, "openjules_metrics_source_errors_total", { source: "queue_depth" }), 1);
    assert.deepEqual(errors, ["queue_depth"]);
  });
});

describe("cached", () => {
  it("shares one in-flight read, reuses a success until it expires, and does not keep a failure", async () => {
    let clock = 0;
    let calls = 0;
    let fail = true;
    const read = cached(
      async () => {
        calls++;
        if (fail) throw new Error("no");
        return calls;
      },
      1000,
      () => clock,
    );
    await assert.rejects(read());
    fail = false;
    const [a, b] = await Promise.all([read(), read()]);
    assert.deepEqual([a, b, calls], [2, 2, 2]);
    clock = 999;
    assert.equal(await read(), 2);
    clock = 1000;
    assert.equal(await read(), 3);
  });
});

describe("metered ports", () => {
  let fx: OpsFixture;
  beforeAll(async () => {
    fx = await opsFixture();
  });
  afterAll(() => fx.close());

  it("liveTaskCounts counts the live states of the store and leaves final ones out", async () => {
    await seedTask(fx.store, "queued");
    await seedTask(fx.store, "awaiting_approval");
    await seedTask(fx.store, "awaiting_approval");
    await seedTask(fx.store, "done");
    const counts = await liveTaskCounts(fx.store);
    assert.equal(counts.queued, 1);
    assert.equal(counts.awaiting_approval, 2);
    assert.equal(counts.working, 0);
    assert.equal(counts.done, undefined);
  });

  it("meteredStore records the time spent in the state a task leaves, and finished tasks", async () => {
    const m = new Metrics({ defaultMetrics: false });
    const store = meteredStore(fx.store, m);
    const task = await seedTask(store, "awaiting_approval");
    const history = await fx.store.history(task.id);
    const planningMs = Date.parse(history[2]!.at) - Date.parse(history[1]!.at);
    assert.equal(await store.transition(task.id, { from: "queued", to: "planning", actor: "x", reason: "stale" }), null, "a refused transition records nothing");
    await store.transition(task.id, { from: "awaiting_approval", to: "cancelled", actor: "octocat", reason: "no" });
    const s = await scrape(m);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_count", { phase: "queued" }), 1);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_count", { phase: "planning" }), 1);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_sum", { phase: "planning" }), planningMs / 1000);
    assert.equal(sampleValue(s, "openjules_phase_duration_seconds_count", { phase: "awaiting_approval" }), 1);
    assert.equal(sampleValue(s, "openjules_tasks_finished_total", { state: "cancelled" }), 1);
    assert.equal(store.accounts, fx.store.accounts, "the accounts are the store's own");
  });

  it("meteredIntake counts deliveries by GitHub event name and what the intake did", async () => {
    const m = new Metrics({ defaultMetrics: false });
    const intake = meteredIntake(createIntake({ queue: fx.queue, log: pino({ level: "silent" }) as never, gate: { appId: 1, appSlug: "openjules", allowedBots: [] } }), m);
    const author = { login: "octocat", id: 1, type: "User", appSlug: null, appId: null };
    const event = (commentId: number, body: string): CommentEvent => ({
      kind: "comment",
      source: "issue",
      commentId,
      body,
      author,
      createdAt: new Date().toISOString(),
      location: null,
      installationId: 1,
      issueNumber: 1,
      isPullRequest: false,
      repo: { owner: "Codertocat", repo: "Hello-World", cloneUrl: "https://github.com/Codertocat/Hello-World.git", defaultBranch: "main", sizeKb: 1 },
    });
    assert.equal(await intake.accept(event(1, "/jules fix the crash please"), "d1"), "queued");
    assert.equal(await intake.accept(event(1, "/jules fix the crash please"), "d2"), "duplicate");
    assert.equal(await intake.accept(event(2, "thanks!"), "d3"), "ignored");
    const s = await scrape(m);
    for (const outcome of ["queued", "duplicate", "ignored"]) {
      assert.equal(sampleValue(s, "openjules_webhooks_total", { event: "issue_comment", outcome }), 1, outcome);
    }
  });

  it("meteredRunner classifies real sandbox runs: passed, failed, timeout, refused", async () => {
    const ws = await mkdtemp(join(tmpdir(), "jules-ops-ws-"));
    execFileSync("git", ["init", "-q", ws]); // the runner only hands working copies to the sandbox
    try {
      const m = new Metrics({ defaultMetrics: false });
      const runner = meteredRunner(createSandboxRunner({ mode: "bubblewrap" }), m);
      assert.equal((await runner.run("true", { cwd: ws, timeoutMs: 60_000 })).exitCode, 0);
      assert.equal((await runner.run("exit 3", { cwd: ws, timeoutMs: 60_000 })).exitCode, 3);
      assert.equal((await runner.run("sleep 30", { cwd: ws, timeoutMs: 300 })).timedOut, true);
      const missing = meteredRunner(createSandboxRunner({ mode: "bubblewrap", bwrapPath: "/nonexistent/bwrap" }), m);
      await assert.rejects(missing.run("true", { cwd: ws, timeoutMs: 60_000 }), { name: "SandboxUnavailableError" });
      const s = await scrape(m);
      for (const outcome of ["passed", "failed", "timeout", "refused"]) assert.equal(sampleValue(s, "openjules_sandbox_runs_total", { outcome }), 1, outcome);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
