/**
 * Fixtures for the operator tests (test/ops): a temporary data directory with
 * the real embedded backends (SQLite task store and job queue in
 * `openjules.db`, as src/store/open.ts lays them out), tasks moved through the
 * real state machine, and a transcript written by the agent's own Transcript
 * class.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transcriptPath } from "../../src/agent/session.ts";
import { Transcript } from "../../src/agent/transcript.ts";
import { openEmbeddedQueue, type EmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import type { NewTask, TaskStore } from "../../src/store/port.ts";
import type { Plan, Task, TaskState } from "../../src/domain/model.ts";

export interface OpsFixture {
  dataDir: string;
  store: TaskStore;
  queue: EmbeddedQueue;
  close(): Promise<void>;
}

export async function opsFixture(): Promise<OpsFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), "jules-ops-"));
  const path = join(dataDir, "openjules.db");
  const store = openSqliteStore(path);
  const queue = openEmbeddedQueue(path, { leaseMs: 30_000, pollMs: 20, backoffMs: 20, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  return {
    dataDir,
    store,
    queue,
    async close() {
      await queue.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const PLAN: Plan = {
  summary: "Guard against an empty config file",
  steps: [{ title: "Return defaults when the file is empty", files: ["src/config.ts"] }],
  risks: [],
  verification: "npm test",
};

let issues = 100;

export function newTask(fields: Partial<NewTask> = {}): NewTask {
  return {
    installationId: 1,
    owner: "Codertocat",
    repo: "Hello-World",
    issueNumber: issues++,
    kind: "issue",
    cloneUrl: "https://github.com/Codertocat/Hello-World.git",
    instruction: "fix the crash when the config file is empty",
    issueTitle: "Crash on empty config",
    requestedBy: "octocat",
    command: "jules",
    triggerCommentId: null,
    baseBranch: null,
    ...fields,
  };
}

const PATHS: Record<string, TaskState[]> = {
  queued: [],
  planning: ["planning"],
  awaiting_approval: ["planning", "awaiting_approval"],
  working: ["planning", "awaiting_approval", "approved", "working"],
  done: ["planning", "awaiting_approval", "approved", "working", "done"],
  failed: ["planning", "failed"],
  cancelled: ["planning", "awaiting_approval", "cancelled"],
};

/** A task moved through the state machine to `state`, with a plan once it has been planned. */
export async function seedTask(store: TaskStore, state: keyof typeof PATHS, fields: Partial<NewTask> = {}): Promise<Task> {
  const created = await store.create(newTask(fields), fields.requestedBy ?? "octocat", "test");
  if (!created.created) throw new Error("seedTask: the issue already has an active task");
  let task = created.task;
  for (const to of PATHS[state]!) {
    const patch =
      to === "awaiting_approval"
        ? { plan: PLAN, planHash: "hash-1", planVersion: 1, planCommentId: 777 }
        : to === "approved"
          ? { approvedBy: "octocat", approvedPlanHash: "hash-1" }
          : to === "failed"
            ? { failure: { phase: "planning", reason: "the model kept timing out", hint: "try again" } }
            : to === "done"
              ? { pullRequestNumber: 9, pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/9" }
              : {};
    const next = await store.transition(task.id, { from: task.state, to, actor: "openjules", reason: `to ${to}`, patch });
    if (!next) throw new Error(`seedTask: could not move ${task.id} to ${to}`);
    task = next;
  }
  return task;
}

/** A transcript as the agent writes it: a planning phase with two model calls and three tool calls, plus a torn line. */
export async function writeTranscript(dataDir: string, taskId: string): Promise<string> {
  const t = new Transcript(transcriptPath(dataDir, taskId), ["sk-test-secret-value-123456"]);
  t.record({ type: "start", phase: "Planning", provider: "openai", model: "gpt-4.1", system: "You plan.", tools: ["read_file", "search"] });
  t.record({ type: "user", content: "Fix it. The key is sk-test-secret-value-123456." });
  t.record({
    type: "model",
    turn: 1,
    ms: 10,
    text: "Looking",
    toolCalls: [
      { id: "a", name: "read_file", arguments: "{}" },
      { id: "b", name: "search", arguments: "{}" },
    ],
    stopReason: "tool_use",
    usage: { inputTokens: 100, outputTokens: 20 },
  });
  t.record({ type: "tool", id: "a", name: "read_file", ms: 1, isError: false, result: "file contents \u001b[31mred\u001b[0m" });
  t.record({ type: "tool", id: "b", name: "search", ms: 1, isError: true, result: "bad regex" });
  t.record({
    type: "model",
    turn: 2,
    ms: 10,
    text: "",
    toolCalls: [{ id: "c", name: "read_file", arguments: "{}" }],
    stopReason: "tool_use",
    usage: { inputTokens: 150, outputTokens: 30 },
  });
  t.record({ type: "tool", id: "c", name: "read_file", ms: 1, isError: false, result: "more" });
  t.record({ type: "end", phase: "Planning", outcome: "plan" });
  await t.close();
  const { appendFile } = await import("node:fs/promises");
  await appendFile(t.path, '{"type":"model","turn":3,"ms"'); // a crash mid-write
  return t.path;
}

/** The ids of the jobs waiting in the fixture's queue (taken by a worker that only records them). */
export async function queuedJobIds(fx: Pick<OpsFixture, "queue">): Promise<string[]> {
  const seen: string[] = [];
  await fx.queue.start({ run: async (job) => void seen.push(job.id), onFailed: async () => undefined }, 1);
  await fx.queue.idle();
  await fx.queue.stop(1000);
  return seen;
}
