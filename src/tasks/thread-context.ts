import type { ThreadContext } from "../agent/ports.ts";
import { WRITER_ROLES, type GitHubGateway } from "../github/gateway.ts";
import { sanitizeUntrusted, selectThreadComments } from "../security/sanitize.ts";
import type { Task } from "./model.ts";

/**
 * The thread as the agent may see it: the issue's title and body, and the
 * comments of people with write access made before the trigger, all
 * sanitized. The app's own comments and everyone else's are left out.
 */
export async function threadContext(gh: GitHubGateway, task: Task, triggerAt: string, ownLogin: string | null): Promise<ThreadContext> {
  const repo = { owner: task.owner, repo: task.repo };
  const issue = await gh.issue(repo, task.issueNumber);
  const comments = await gh.listComments(repo, task.issueNumber);
  // The triggering comment's own time when it is in the thread; else (a label) when the task was created.
  const trigger = comments.find((c) => c.id === task.triggerCommentId)?.createdAt ?? triggerAt;
  const people = comments.filter((c) => c.id !== task.triggerCommentId && c.authorType !== "Bot" && c.author !== ownLogin);
  // Roles are looked up only for the authors of comments made before the trigger, once each.
  const before = selectThreadComments(people, { triggerAt: trigger, isWriter: () => true });
  const writers = new Set<string>();
  for (const login of new Set(before.map((c) => c.author))) {
    if (WRITER_ROLES.includes(await gh.role(repo, login))) writers.add(login);
  }
  const kept = before.filter((c) => writers.has(c.author)).map((c) => ({ author: c.author, body: sanitizeUntrusted(c.body) }));
  return { title: sanitizeUntrusted(issue.title), body: sanitizeUntrusted(issue.body), comments: kept };
}
