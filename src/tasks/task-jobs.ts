import { jobIds } from "../domain/job-ids.ts";
import type { Task } from "../domain/model.ts";
import type { JobQueue, JobSpec } from "../queue/port.ts";

/**
 * The two jobs a task runs on: planning its next plan version, or executing
 * the plan approved with this hash. Their ids are deterministic (job-ids.ts),
 * so enqueueing one twice (a redelivered event, a race, a restart) runs it once.
 */
export type TaskJob = "plan" | { execute: string };

export function taskJob(task: Pick<Task, "id" | "planVersion">, job: TaskJob): JobSpec {
  const data = { taskId: task.id };
  if (job === "plan") return { id: jobIds.plan(task.id, task.planVersion + 1), name: "plan", data };
  return { id: jobIds.execute(task.id, job.execute), name: "execute", data };
}

/** Enqueues the job; false when it is in the queue already. */
export function enqueueTaskJob(queue: Pick<JobQueue, "enqueue">, task: Pick<Task, "id" | "planVersion">, job: TaskJob): Promise<boolean> {
  return queue.enqueue(taskJob(task, job));
}
