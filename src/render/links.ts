import type { Task } from "../domain/model.ts";

/**
 * Web addresses of a task's places on GitHub (or GitHub Enterprise Server: `webBase` is the web host, not the API).
 * Pure; the one place these URLs are spelled.
 */
type Where = Pick<Task, "owner" | "repo" | "issueNumber">;

/** The task's issue (or pull request) thread; null for a task without an issue. */
export function issueUrl(webBase: string, task: Where): string | null {
  return task.issueNumber === null ? null : `${webBase}/${task.owner}/${task.repo}/issues/${task.issueNumber}`;
}

/** The plan comment (or the answer comment, which takes its id): null before one was posted. */
export function planCommentUrl(webBase: string, task: Where & Pick<Task, "planCommentId">): string | null {
  const issue = issueUrl(webBase, task);
  return task.planCommentId && issue ? `${issue}#issuecomment-${task.planCommentId}` : null;
}

/** The task's page in the web app, when the operator set JULES_PUBLIC_URL (`publicUrl`, no trailing slash); else null. */
export function taskPageUrl(publicUrl: string | undefined, task: Pick<Task, "id">): string | null {
  return publicUrl ? `${publicUrl}/app/tasks/${encodeURIComponent(task.id)}` : null;
}
