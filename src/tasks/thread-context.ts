import type { ThreadContext } from "../agent/ports.ts";
import { WRITER_ROLES, type GitHubGateway } from "../github/gateway.ts";
import { sanitizeUntrusted } from "../security/sanitize.ts";
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
  const roles = new Map<string, boolean>();
  const isWriter = async (login: string) => {
    if (!roles.has(login)) roles.set(login, WRITER_ROLES.includes(await gh.role(repo, login)));
    return roles.get(login) === true;
  };
  const kept: ThreadContext["comments"] = [];
  for (const c of comments) {
    if (Date.parse(c.createdAt) >= Date.parse(triggerAt) || c.id === task.triggerCommentId) continue;
    if (c.authorType === "Bot" || (ownLogin && c.author === ownLogin)) continue;
    if (!(await isWriter(c.author))) continue;
    kept.push({ author: c.author, body: sanitizeUntrusted(c.body) });
  }
  return { title: sanitizeUntrusted(issue.title), body: sanitizeUntrusted(issue.body), comments: kept };
}
