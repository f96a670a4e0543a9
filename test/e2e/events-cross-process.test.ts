/**
 * Live events across processes: a web process (`src/main.ts web`) streams,
 * over Server-Sent Events at GET /api/v1/tasks/:id/events with the operator
 * token, the events a separate worker process (`src/main.ts worker`) writes
 * while it runs a real task (GitHub a stand-in over HTTP, a real git server,
 * the repository's tests in the sandbox, a fake model answering by phase),
 * on a fresh PostgreSQL schema. Run twice: with REDIS_URL (Redis pub/sub
 * feed, BullMQ queue under a prefix of its own) and without (the polling
 * feed over PostgreSQL; web and worker then share the embedded queue in one
 * data directory). The stream gives the history first, then what the worker
 * writes, in order with increasing ids; after a disconnect, Last-Event-ID
 * gives exactly the events after it. A secret in text the worker writes to
 * the log (the model's summary quoted in a failure reason: redacted by the
 * writer, and by the API again) is redacted in the stream and the JSON page.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Task, TaskLogEvent } from "../../src/domain/model.ts";
import { openPostgresStore } from "../../src/store/postgres/index.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { openEventStream } from "../helpers/event-stream.ts";
import { phaseOf, phaseResponder } from "../helpers/fake-llm/by-phase.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.ts";
import { JulesProcesses } from "../helpers/jules-process.ts";
import { issueComment } from "../helpers/payloads.ts";
import { dataDirIn, eventually, processEnv, VALUE_ANSWERS, valueRepoFiles } from "../helpers/scale-out.ts";
import { createTestSchema, removeQueueData, TEST_REDIS_URL, type TestSchema, uniquePrefix } from "../helpers/services.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { freePort } from "../helpers/web-server.ts";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const TOKEN = `operator-${randomBytes(12).toString("hex")}`;
/** The model key both processes are configured with: one of their own secrets. */
const API_KEY = `sk-test-events-${randomBytes(8).toString("hex")}`;
/** In a request, makes the model finish without an edit, with a summary holding secrets. */
const LEAKY = "leaky-summary-marker";
const HOLD_MS = 4000;

const stateOf = (e: TaskLogEvent) => (e.data.type === "state" ? e.data.to : null);
const ids = (events: TaskLogEvent[]) => events.map((e) => e.id);
const increasing = (events: TaskLogEvent[]) => events.every((e, i) => i === 0 || e.id > events[i - 1]!.id);

describe.each([
  { feed: "redis", redis: true },
  { feed: "polling", redis: false },
])("events across processes: the web process streams what the worker writes ($feed feed)", { timeout: 300_000 }, ({ feed, redis }) => {
  const procs = new JulesProcesses();
  const secret = randomBytes(16).toString("hex");
  const prefix = uniquePrefix(`events-${feed}`);
  let schema: TestSchema;
  let store: TaskStore;
  let git: GitServer;
  let github: GitHubStandin;
  let llm: FakeLlm;
  let root: string;
  let base: string;
  let cloneUrl: string;
  let held = false;

  beforeAll(async () => {
    schema = await createTestSchema(`events_${feed}`);
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    cloneUrl = await git.createRepo(OWNER, REPO, [{ files: valueRepoFiles(), message: "initial" }]);
    github = await startGitHubStandin();
    const byPhase = phaseResponder({
      ...VALUE_ANSWERS,
      // The first execution waits, so the test can disconnect before the worker writes on.
      executionDelayMs: () => (held ? 0 : ((held = true), HOLD_MS)),
    });
    llm = await startFakeLlm([], {
      respond: (request) =>
        phaseOf(request.format, request.body) === "execution" && JSON.stringify(request.body).includes(LEAKY)
          ? call("finish", { summary: `Nothing to change. The token is ${FAKE.githubClassic} and the key is ${API_KEY}.` })
          : byPhase(request),
    });
    root = await mkdtemp(join(tmpdir(), `jules-events-${feed}-`));
    await chmod(root, 0o711);
    // Without Redis the queue is the embedded one in the data directory: both processes share it.
    const shared = redis ? null : await dataDirIn(root, "shared");
    const env = async (name: string, extra: Record<string, string> = {}) => {
      const e = processEnv({
        githubHost: github.host,
        llmBaseUrl: llm.openaiBaseUrl,
        databaseUrl: schema.url,
        redisUrl: TEST_REDIS_URL,
        secret,
        dataDir: shared ?? (await dataDirIn(root, name)),
        port: await freePort(),
        apiKey: API_KEY,
        extra: { JULES_REDIS_PREFIX: prefix, JULES_SHUTDOWN_GRACE_MS: "2000", ...extra },
      });
      if (!redis) delete e.REDIS_URL;
      return e;
    };
    const webEnv = await env("web", { JULES_API_TOKEN: TOKEN });
    base = `http://127.0.0.1:${webEnv.PORT}`;
    await procs.start("web", "web", webEnv);
    await procs.start("worker", "worker", await env("worker"));
    store = await openPostgresStore(schema.url);
  });

  afterAll(async () => {
    await procs.stopAll();
    await store?.close();
    await llm?.close();
    await github?.close();
    await git?.close();
    if (redis) await removeQueueData(prefix).catch(() => undefined);
    await schema?.drop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** `/jules <request>` on a new issue, delivered to the web process; resolves with the task once its plan awaits approval. */
  const taskAwaitingApproval = async (issue: number, request: string): Promise<Task> => {
    const payload = issueComment({ body: `/jules ${request}`, issueNumber: issue, login: OWNER });
    Object.assign(payload.repository, { clone_url: cloneUrl, default_branch: "main" });
    const answer = await deliver(`${base}/api/github/webhooks`, { name: "issue_comment", payload, id: randomUUID(), secret });
    assert.equal(answer.status, 200, answer.text);
    return eventually(
      180_000,
      async () => (await store.list({ owner: OWNER, repo: REPO })).find((t) => t.issueNumber === issue && t.state === "awaiting_approval"),
      `the plan of issue ${issue} was not ready`,
      () => procs.outputs(),
    );
  };
  const approve = async (id: string) => {
    const res = await fetch(`${base}/api/v1/tasks/${id}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(res.status, 200, await res.text());
  };

  it("streams the history, then the worker's events live in order, and after a reconnect with Last-Event-ID exactly the ones after it", async () => {
    const task = await taskAwaitingApproval(21, "make the value 42");
    const history = await store.readEvents(task.id, 0, 1000);
    assert.deepEqual(history.map(stateOf).filter(Boolean), ["queued", "planning", "awaiting_approval"]);
    assert.ok(history.some((e) => e.data.type === "plan") && history.some((e) => e.data.type === "tool"), "the planning run's own events");

    // 1. History first, as the store has it; each message's id and type are the event's.
    const first = await openEventStream(base, task.id, { token: TOKEN });
    assert.equal(first.status, 200);
    assert.equal(first.contentType, "text/event-stream; charset=utf-8");
    await first.until((events) => events.length >= history.length, "history");
    assert.deepEqual(first.events.slice(0, history.length), history);

    // 2. Live: the approval (written by the web process) and the start of the work (by the worker).
    await approve(task.id);
    await first.until((events) => events.some((e) => stateOf(e) === "working"), "working event");
    // The last event before the model's first answer in execution (which the model holds): the test command chosen.
    await first.until((events) => events.some((e) => e.data.type === "activity" && e.data.line.startsWith("tests: ")), "test command activity");
    assert.ok(increasing(first.events), `ids increase: ${ids(first.events)}`);
    assert.deepEqual(
      first.messages.map((m) => [m.id, m.event]),
      first.events.map((e) => [String(e.id), e.data.type]),
    );
    const live = first.events.slice(history.length).filter((e) => stateOf(e) !== null);
    assert.deepEqual(live.map(stateOf).slice(0, 2), ["approved", "working"]);
    assert.equal(live[0]!.data.type === "state" && live[0]!.data.face, "api", "the approval came through the API");
    assert.equal(live[1]!.data.type === "state" && live[1]!.data.actor, "openjules", "the worker wrote the start of the work");
    await first.close();
    const last = first.events.at(-1)!.id;
    assert.deepEqual(await store.readEvents(task.id, last, 10), [], "the worker writes on only after the disconnect (the model is holding it)");

    // 3. The worker finishes while no one is connected; a reconnect with Last-Event-ID gets exactly what came after.
    await eventually(
      180_000,
      async () => ((await store.get(task.id))?.state === "done" ? true : undefined),
      "the task did not finish",
      () => procs.outputs(),
    );
    const all = await store.readEvents(task.id, 0, 1000);
    const missed = all.filter((e) => e.id > last);
    assert.ok(missed.length > 0 && missed.some((e) => stateOf(e) === "done"), JSON.stringify(missed));
    const again = await openEventStream(base, task.id, { token: TOKEN, lastEventId: last });
    await again.until((events) => events.some((e) => stateOf(e) === "done"), "done event");
    await again.close();
    assert.deepEqual(again.events, missed, "exactly the events after Last-Event-ID, in order");
    assert.ok(increasing(again.events) && again.events[0]!.id > last);
    assert.deepEqual([...first.events, ...again.events], all, "nothing missed, nothing repeated");
  });

  it("redacts secrets in what the worker wrote to the log (the model's summary in the failure)", async () => {
    const task = await taskAwaitingApproval(22, `look at the value (${LEAKY})`);
    const stream = await openEventStream(base, task.id, { token: TOKEN });
    await stream.until((events) => events.some((e) => stateOf(e) === "awaiting_approval"), "history");
    await approve(task.id);
    await stream.until((events) => events.some((e) => stateOf(e) === "failed"), "failed event");
    await stream.close();
    const failed = stream.events.find((e) => stateOf(e) === "failed")!;
    assert.ok(failed.data.type === "state" && failed.data.reason.includes("finished without changing any file"), JSON.stringify(failed));
    assert.ok(!stream.raw().includes(FAKE.githubClassic), "a token-shaped secret reached the stream");
    assert.ok(!stream.raw().includes(API_KEY), "the process's own model key reached the stream");
    assert.match(stream.raw(), /\[REDACTED:[^\]]+\]/);
    // The JSON page of the same log shows the same redacted event.
    const page = await fetch(`${base}/api/v1/tasks/${task.id}/events?format=json&after=${failed.id - 1}&limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(((await page.json()) as { events: TaskLogEvent[] }).events, [failed]);
  });
});
