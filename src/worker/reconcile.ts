import type { JobSpec } from "../queue/port.ts";
import type { TaskDeps } from "../tasks/deps.ts";
import { executeJob, taskJob } from "../tasks/task-jobs.ts";
import { jobIds } from "../domain/job-ids.ts";
import type { Task, TaskState } from "../domain/model.ts";

/**
 * On start-up, makes sure every live task has its job: a process that died
 * between saving a task and enqueueing its job leaves a task without one.
 * Job ids are deterministic, so a task whose job exists is left alone (the
 * queue itself re-runs jobs whose worker died, once their lease expires).
 */
export async function reconcile(deps: Pick<TaskDeps, "store" | "queue" | "log">): Promise<number> {
  let enqueued = 0;
  for (const state of LIVE) {
    for await (const task of tasksIn(deps, state)) {
      const job = jobOwed(task);
      if (job && (await deps.queue.enqueue(job))) enqueued++;
    }
  }
  if (enqueued > 0) deps.log.warn({ enqueued }, "re-enqueued jobs of tasks that had none");
  return enqueued;
}

const LIVE: readonly TaskState[] = ["queued", "planning", "revising", "awaiting_approval", "approved", "working", "testing"];

/**
 * Pure: the job a live task waits for, or null when it waits for a person.
 *   approved, working, testing (either kind)  → execute the approved plan
 *     (after a resume, the job of its last pause; a paused task waits for a person)
 *   a follow-up before its approval was recorded → execute, which finishes
 *     starting it (start-follow-up.ts): a follow-up is never planned
 *   an issue task in queued, planning, revising → plan the next version
 *   an issue task awaiting approval           → none
 */
export function jobOwed(task: Task): JobSpec | null {
  if (task.state === "approved" || task.state === "working" || task.state === "testing") {
    const job = executeJob(task);
    return job ? taskJob(task, job) : null;
  }
  if (task.kind === "follow_up") return { id: jobIds.followUp(task.id), name: "execute", data: { taskId: task.id } };
  if (task.state === "awaiting_approval") return null;
  return taskJob(task, "plan");
}

async function* tasksIn(deps: Pick<TaskDeps, "store">, state: TaskState): AsyncGenerator<Task> {
  for (let offset = 0; ; offset += 500) {
    const page = await deps.store.list({ state, limit: 500, offset });
    yield* page;
    if (page.length < 500) return;
  }
}
