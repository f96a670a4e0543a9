import { jobIds } from "../domain/job-ids.ts";
import type { Task } from "../domain/model.ts";
import type { JobQueue, JobSpec } from "../queue/port.ts";

/**
 * The two jobs a task runs on: planning its next plan version, or executing
 * the plan approved with this hash. Their ids are deterministic (job-ids.ts),
 * so enqueueing one twice (a redelivered event, a race, a restart) runs it once.
 */
export type TaskJob = "plan" | { execute: string } | { resume: string; pausedAt: string };

export function taskJob(task: Pick<Task, "id" | "planVersion">, job: TaskJob): JobSpec {
  const data = { taskId: task.id };
  if (job === "plan") return { id: jobIds.plan(task.id, task.planVersion + 1), name: "plan", data };
  if ("resume" in job) return { id: jobIds.resume(task.id, job.resume, job.pausedAt), name: "execute", data };
  return { id: jobIds.execute(task.id, job.execute), name: "execute", data };
}

/** The execute job of an approved task: the plan's, or after a resume the one of its last pause. */
export function executeJob(task: Pick<Task, "approvedPlanHash" | "pause">): TaskJob | null {
  if (!task.approvedPlanHash) return null;
  return task.pause?.summary != null ? { resume: task.approvedPlanHash, pausedAt: task.pause.at } : { execute: task.approvedPlanHash };
}

/** Enqueues the job; false when it is in the queue already. */
export function enqueueTaskJob(queue: Pick<JobQueue, "enqueue">, task: Pick<Task, "id" | "planVersion">, job: TaskJob): Promise<boolean> {
  return queue.enqueue(taskJob(task, job));
}
