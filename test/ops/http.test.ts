import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { createOps } from "../../src/ops/create-ops.ts";
import { startOpsServer } from "../../src/ops/ops-server.ts";
import type { Task } from "../../src/domain/model.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { opsFixture, seedTask, writeTranscript, type OpsFixture } from "../helpers/ops-fixtures.ts";
import { parsePromText, sampleValue } from "../helpers/prom-text.ts";
import { freePort } from "../helpers/web-server.ts";

const TOKEN = "ops-token-0123456789abcdef";
const log = pino({ level: "silent" });

/** The ops handler on Probot's own Server, added the way src/main.ts adds it. */
async function probotServer(handler: Parameters<Server["addHandler"]>[0]): Promise<{ origin: string; stop: () => Promise<void> }> {
  for (let attempt = 1; ; attempt++) {
    const ProbotClass = Probot.defaults({ appId: 1, privateKey: testPrivateKey(), secret: "webhook-secret", log: log as never });
    const server = new Server({ Probot: ProbotClass, host: "127.0.0.1", port: await freePort(), log: log as never });
    server.addHandler(handler);
    try {
      await server.start();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE" && attempt < 5) continue;
      throw error;
    }
    return { origin: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
  }
}

describe("operator HTTP endpoints on the Probot server", () => {
  let fx: OpsFixture;
  let web: { origin: string; stop: () => Promise<void> };
  let ops: ReturnType<typeof createOps>;
  let failed: Task;
  const tasks: Task[] = [];
  const get = (path: string, token: string | null = TOKEN, init: RequestInit = {}) =>
    fetch(`${web.origin}${path}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    fx = await opsFixture();
    tasks.push(await seedTask(fx.store, "queued"), await seedTask(fx.store, "awaiting_approval"), await seedTask(fx.store, "done"));
    tasks.push(await seedTask(fx.store, "queued", { owner: "other-org", repo: "tool" }));
    failed = await seedTask(fx.store, "failed");
    await writeTranscript(fx.dataDir, failed.id);
    ops = createOps({ store: fx.store, queue: fx.queue, dataDir: fx.dataDir, log, apiToken: TOKEN, readiness: { minFreeBytes: 1 } });
    web = await probotServer(ops.handler);
  });
  afterAll(async () => {
    await web.stop();
    await fx.close();
  });

  it("/healthz answers alive; HEAD works; other methods are refused", async () => {
    const res = await get("/healthz", null);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal((await get("/healthz", null, { method: "HEAD" })).status, 200);
    const post = await get("/healthz", null, { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  });

  it("/readyz is 200 when the database, queue and disk answer", async () => {
    const res = await get("/readyz", null);
    const body = (await res.json()) as { status: string; checks: { name: string; ok: boolean; detail: string }[] };
    assert.equal(res.status, 200);
    assert.equal(body.status, "ready");
    assert.deepEqual(
      body.checks.map((c) => [c.name, c.ok]),
      [
        ["database", true],
        ["queue", true],
        ["disk", true],
      ],
    );
    assert.match(body.checks[1]!.detail, /^depth \d+$/);
  });

  it("/metrics serves Prometheus text with live task counts, queue depth and recorded events", async () => {
    await fx.queue.enqueue({ id: "plan:x:1", name: "plan", data: { taskId: "x" } });
    ops.metrics.webhook("issue_comment", "queued");
    const res = await get("/metrics", null);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const s = parsePromText(await res.text());
    assert.equal(sampleValue(s, "openjules_tasks", { state: "queued" }), 2);
    assert.equal(sampleValue(s, "openjules_tasks", { state: "awaiting_approval" }), 1);
    assert.equal(sampleValue(s, "openjules_queue_depth"), 1);
    assert.equal(sampleValue(s, "openjules_webhooks_total", { event: "issue_comment", outcome: "queued" }), 1);
  });

  it("the task API needs the operator token", async () => {
    for (const token of [null, "wrong-token", `${TOKEN}x`]) {
      const res = await get("/api/tasks", token);
      assert.equal(res.status, 401, String(token));
      assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="openjules"');
      assert.match(((await res.json()) as { error: string }).error, /Bearer/);
    }
    const basic = await fetch(`${web.origin}/api/tasks`, { headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.status, 401);
    assert.equal((await get(`/api/tasks/${failed.id}`, null)).status, 401);
  });

  it("lists tasks newest first, filtered by repository and state, with paging", async () => {
    const all = (await (await get("/api/tasks")).json()) as { tasks: { id: string }[]; nextOffset: number | null };
    assert.deepEqual(
      all.tasks.map((t) => t.id),
      [failed.id, ...tasks.map((t) => t.id).reverse()],
    );
    assert.equal(all.nextOffset, null);
    const queued = (await (await get("/api/tasks?repo=Codertocat/Hello-World&state=queued")).json()) as { tasks: { id: string; repository: string }[] };
    assert.deepEqual(
      queued.tasks.map((t) => t.id),
      [tasks[0]!.id],
    );
    const byOwner = (await (await get("/api/tasks?owner=other-org")).json()) as { tasks: { repository: string }[] };
    assert.deepEqual(
      byOwner.tasks.map((t) => t.repository),
      ["other-org/tool"],
    );
    const first = (await (await get("/api/tasks?limit=2")).json()) as { tasks: { id: string }[]; nextOffset: number };
    const second = (await (await get(`/api/tasks?limit=2&offset=${first.nextOffset}`)).json()) as { tasks: { id: string }[]; offset: number };
    assert.equal(first.nextOffset, 2);
    assert.deepEqual(
      [...first.tasks, ...second.tasks].map((t) => t.id),
      all.tasks.slice(0, 4).map((t) => t.id),
    );
  });

  it("refuses bad filters with 400 and a message saying what is accepted", async () => {
    const cases: [string, RegExp][] = [
      ["state=bogus", /state must be one of queued, planning/],
      ["limit=0", /limit must be an integer from 1 to 500/],
      ["limit=ten", /limit must be an integer/],
      ["offset=-1", /offset must be a non-negative integer/],
      ["repo=just-a-name", /repo must look like owner\/name/],
      ["repo=a/b/c", /repo must look like owner\/name/],
      ["sort=asc", /unknown parameter "sort"/],
      ["state=done&state=failed", /"state" was given more than once/],
      ["repo=Codertocat/Hello-World&owner=someone-else", /contradicts/],
    ];
    for (const [query, message] of cases) {
      const res = await get(`/api/tasks?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(((await res.json()) as { error: string }).error, message, query);
    }
  });

  it("shows one task with its history, plan, links and a transcript summary without contents", async () => {
    const res = await get(`/api/tasks/${failed.id}`);
    assert.equal(res.status, 200);
    const text = await res.text();
    const body = JSON.parse(text);
    assert.equal(body.task.id, failed.id);
    assert.equal(body.task.failure.reason, "the model kept timing out");
    assert.deepEqual(
      body.history.map((e: { to: string }) => e.to),
      ["queued", "planning", "failed"],
    );
    assert.equal(body.links.issue, `https://github.com/Codertocat/Hello-World/issues/${failed.issueNumber}`);
    assert.deepEqual(body.transcript, {
      modelCalls: 2,
      inputTokens: 250,
      outputTokens: 50,
      toolCalls: 3,
      toolErrors: 1,
      tools: { read_file: 2, search: 1 },
      phases: [{ phase: "Planning", provider: "openai", model: "gpt-4.1", outcome: "plan" }],
      unreadableLines: 1,
    });
    assert.doesNotMatch(text, /file contents|Fix it/, "no transcript contents");
    const planned = (await (await get(`/api/tasks/${tasks[1]!.id}`)).json()) as { task: { plan: { summary: string } }; links: { plan: string }; transcript: null };
    assert.equal(planned.task.plan.summary, "Guard against an empty config file");
    assert.match(planned.links.plan, /#issuecomment-777$/);
    assert.equal(planned.transcript, null);
  });

  it("answers 404 for an unknown task and 400 for a malformed id; other paths stay Probot's", async () => {
    assert.equal((await get("/api/tasks/3f0b2c1e-0000-4000-8000-000000000000")).status, 404);
    assert.equal((await get("/api/tasks/not%20an%20id")).status, 400);
    assert.equal((await get("/api/tasks/a/b")).status, 404, "not an API path: Probot's not-found");
    assert.equal(await (await get("/ping", null)).text(), "PONG");
  });
});

describe("operator HTTP endpoints on their own server (worker processes)", () => {
  it("keep the task API off without a token, and report not ready (503) once the store is closed", async () => {
    const fx = await opsFixture();
    const ops = createOps({ store: fx.store, queue: fx.queue, dataDir: fx.dataDir, log, readiness: { minFreeBytes: 1 } });
    const server = await startOpsServer(ops.handler, { host: "127.0.0.1", port: 0 });
    const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
    try {
      const off = await fetch(url("/api/tasks"), { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(off.status, 404);
      assert.match(((await off.json()) as { error: string }).error, /JULES_API_TOKEN/);
      assert.equal((await fetch(url("/elsewhere"))).status, 404);
      assert.equal((await fetch(url("/readyz"))).status, 200);
      await fx.store.close();
      const res = await fetch(url("/readyz"));
      const body = (await res.json()) as { status: string; checks: { name: string; ok: boolean; error?: string }[] };
      assert.equal(res.status, 503);
      assert.equal(body.status, "not_ready");
      const database = body.checks.find((c) => c.name === "database")!;
      assert.equal(database.ok, false);
      assert.match(database.error ?? "", /closed/);
      assert.equal((await fetch(url("/healthz"))).status, 200, "alive does not depend on the database");
    } finally {
      await server.close();
      await fx.close();
    }
  });
});
