/**
 * reconcile(): on start-up every live task gets the job it is waiting for,
 * on the real SQLite store and the real embedded queue. An issue task before
 * its plan gets a plan job, after approval an execute job; a follow-up (which
 * never has a plan of its own) gets an execute job in every live state; a
 * plan waiting for a person gets none. A job that exists is not doubled.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { pino } from "pino";
import { openEmbeddedQueue, type EmbeddedQueue } from "../../src/queue/embedded/index.ts";
import type { Job } from "../../src/queue/port.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import type { TaskStore } from "../../src/store/port.ts";
import type { Task, TaskKind, TaskState } from "../../src/domain/model.ts";
import { reconcile } from "../../src/worker/reconcile.ts";
import { jobIds } from "../../src/domain/job-ids.ts";
import { newTask } from "../store/fixtures.ts";

const LIVE: readonly TaskState[] = ["queued", "planning", "awaiting_approval", "revising", "approved", "working", "testing"];

/** The moves that bring a new (queued) task to `state`, as the use cases make them. */
const PATH: Record<string, readonly TaskState[]> = {
  queued: [],
  planning: ["planning"],
  awaiting_approval: ["planning", "awaiting_approval"],
  revising: ["planning", "awaiting_approval", "revising"],
  approved: ["approved"],
  working: ["approved", "working"],
  testing: ["approved", "working", "testing"],
};

describe("reconcile() on start-up", () => {
  let dir: string;
  let store: TaskStore;
  let queue: EmbeddedQueue;
  const log = pino({ level: "silent" });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "jules-reconcile-"));
    const db = join(dir, "openjules.db");
    store = openSqliteStore(db);
    queue = openEmbeddedQueue(db, { leaseMs: 30_000, pollMs: 20, backoffMs: 20, defaultAttempts: 3 });
  });
  afterAll(async () => {
    await queue.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function taskIn(kind: TaskKind, state: TaskState): Promise<Task> {
    const created = await store.create(newTask({ kind }), "alice", "test");
    assert.ok(created.created);
    let task = created.task;
    for (const to of PATH[state]!) {
      const patch =
        to === "awaiting_approval" ? { plan: null, planHash: "p1", planVersion: 1 } : to === "approved" ? { approvedBy: "alice", approvedPlanHash: `h-${task.id}` } : {};
      const moved = await store.transition(task.id, { from: task.state, to, actor: "alice", reason: "test", patch });
      assert.ok(moved, `${task.state} → ${to}`);
      task = moved;
    }
    return task;
  }

  /** The job each task is owed, by kind and state. */
  function expected(task: Task): { name: string; id: string } | null {
    if (task.state === "approved" || task.state === "working" || task.state === "testing") return { name: "execute", id: `execute:${task.id}:h-${task.id}` };
    if (task.kind === "follow_up") return { name: "execute", id: `execute:${task.id}:follow-up` };
    if (task.state === "awaiting_approval") return null;
    return { name: "plan", id: `plan:${task.id}:${task.planVersion + 1}` };
  }

  it("gives every live task of either kind the job it waits for, once", async () => {
    const tasks: Task[] = [];
    for (const kind of ["issue", "follow_up"] as const) for (const state of LIVE) tasks.push(await taskIn(kind, state));
    for (const state of ["done", "failed", "cancelled"] as const) {
      const ended = await taskIn("issue", "testing");
      assert.ok(await store.transition(ended.id, { from: "testing", to: state, actor: "alice", reason: "test" }));
    }
    const want = tasks.map(expected).filter((j): j is { name: string; id: string } => j !== null);

    assert.equal(await reconcile({ store, queue, log }), want.length);
    assert.equal(await reconcile({ store, queue, log }), 0, "a job that exists is not enqueued again");

    const ran: Job[] = [];
    await queue.start({ run: async (job) => void ran.push(job), onFailed: async () => {} }, 1);
    await queue.idle();
    await queue.stop();
    const got = ran.map((job) => ({ name: job.name, id: job.id, taskId: (job.data as { taskId: string }).taskId }));
    const byTask = new Map(got.map((j) => [j.taskId, j]));
    for (const task of tasks) {
      const job = byTask.get(task.id);
      const owed = expected(task);
      assert.deepEqual(job ? { name: job.name, id: job.id } : null, owed, `${task.kind} task in ${task.state}`);
    }
    assert.equal(got.length, want.length, "no task got two jobs, and ended tasks got none");
  });

  it("after a crash while paused, gives a paused task no job (it waits for a person) and keeps its checkpoint; once resumed, the job of that pause, once", async () => {
    const working = await taskIn("issue", "working");
    const pause = {
      cause: "turns" as const,
      reason: "reached its limit of 3 model turns",
      at: "2026-12-03T10:00:00.000Z",
      checkpointSha: "a".repeat(40),
      summary: "3 turns; edited src/a.ts",
    };
    const paused = await store.transition(working.id, { from: "working", to: "paused", actor: "openjules", reason: "budget", patch: { pause } });
    assert.ok(paused);
    // The process dies here; a new one reconciles the store it left.
    const before = (await store.list({ state: "paused" })).length;
    assert.ok(before >= 1);
    const enqueuedWhilePaused = await reconcile({ store, queue, log });
    const again = await store.get(working.id);
    assert.equal(again?.state, "paused");
    assert.deepEqual(again?.pause, pause, "the checkpoint and summary survive the restart");
    const resumed = await store.transition(working.id, {
      from: "paused",
      to: "approved",
      actor: "alice",
      face: "api",
      reason: "resumed",
      patch: { extraBudget: { turns: 5, tokens: 0, costUsd: 0, minutes: 0 } },
    });
    assert.ok(resumed);
    assert.equal(await reconcile({ store, queue, log }), 1, "the resumed task is owed its job");
    assert.equal(await reconcile({ store, queue, log }), 0, "once");
    const ran: Job[] = [];
    await queue.start({ run: async (job) => void ran.push(job), onFailed: async () => {} }, 1);
    await queue.idle();
    await queue.stop();
    const mine = ran.filter((job) => (job.data as { taskId: string }).taskId === working.id);
    assert.deepEqual(
      mine.map((job) => job.id),
      [jobIds.resume(working.id, `h-${working.id}`, pause.at)],
    );
    assert.equal(enqueuedWhilePaused, 0, "nothing was owed while it was paused");
  });
});
