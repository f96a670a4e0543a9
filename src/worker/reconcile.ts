import type { TaskDeps } from "../tasks/deps.ts";
import { jobIds } from "../tasks/deps.ts";
import type { Task, TaskState } from "../tasks/model.ts";

/**
 * On start-up, makes sure every live task has its job: a process that died
 * between saving a task and enqueueing its job leaves a task without one.
 * Job ids are deterministic, so a task whose job exists is left alone (the
 * queue itself re-runs jobs whose worker died, once their lease expires).
 */
export async function reconcile(deps: Pick<TaskDeps, "store" | "queue" | "log">): Promise<number> {
  let enqueued = 0;
  for (const state of ["queued", "planning", "revising"] as const) {
    for await (const task of tasksIn(deps, state)) {
      if (await deps.queue.enqueue({ id: jobIds.plan(task.id, task.planVersion + 1), name: "plan", data: { taskId: task.id } })) enqueued++;
    }
  }
  for (const state of ["approved", "working", "testing"] as const) {
    for await (const task of tasksIn(deps, state)) {
      if (!task.approvedPlanHash) continue;
      if (await deps.queue.enqueue({ id: jobIds.execute(task.id, task.approvedPlanHash), name: "execute", data: { taskId: task.id } })) enqueued++;
    }
  }
  if (enqueued > 0) deps.log.warn({ enqueued }, "re-enqueued jobs of tasks that had none");
  return enqueued;
}

async function* tasksIn(deps: Pick<TaskDeps, "store">, state: TaskState): AsyncGenerator<Task> {
  for (let offset = 0; ; offset += 500) {
    const page = await deps.store.list({ state, limit: 500, offset });
    yield* page;
    if (page.length < 500) return;
  }
}
