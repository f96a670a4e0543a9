/**
 * The fields every log line about a task carries, named as the intake names
 * them for deliveries (`deliveryId`, `repo`, `issue`), so one query finds a
 * task's whole story: `log.child(taskLogBindings(task))`.
 */
import type { Task } from "../domain/model.ts";

export function taskLogBindings(task: Pick<Task, "id" | "owner" | "repo" | "issueNumber">): { taskId: string; repo: string; issue: number | null } {
  return { taskId: task.id, repo: `${task.owner}/${task.repo}`, issue: task.issueNumber };
}
