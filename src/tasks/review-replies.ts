import type { Task } from "../domain/model.ts";
import type { DeliveryResult } from "../delivery/port.ts";
import type { GitHubGateway } from "../github/port.ts";
import { reviewThreadAddressed } from "../render/trigger-replies.ts";
import type { TaskDeps } from "./deps.ts";

/**
 * After a follow-up from a review that requested changes has pushed: a short
 * reply in each thread of that review's line comments (the ones its feedback
 * showed), naming the commit. Nothing is resolved: that stays the
 * reviewer's call. The task is done by then, so a reply GitHub refuses (the
 * thread was deleted meanwhile) is logged and the others still go.
 */
export async function replyOnReviewThreads(deps: Pick<TaskDeps, "log" | "webBase">, gh: GitHubGateway, task: Task, result: DeliveryResult): Promise<void> {
  const review = task.planContext?.review;
  if (task.kind !== "follow_up" || !review || result.kind !== "pull_request") return;
  const body = reviewThreadAddressed({ webBase: deps.webBase, task, sha: result.headSha });
  for (const thread of review.threads) {
    try {
      await gh.replyToReviewComment(task, result.number, thread.threadId, body);
    } catch (err) {
      deps.log.warn({ err, taskId: task.id, review: review.id, thread: thread.threadId }, "could not reply in a review thread the follow-up worked on");
    }
  }
}
