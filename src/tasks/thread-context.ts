import { createHash } from "node:crypto";
import { WRITER_ROLES, type GitHubGateway } from "../github/port.ts";
import { sanitizeUntrusted, selectThreadComments } from "../security/sanitize.ts";
import type { Task, ThreadSnapshot } from "../domain/model.ts";
import { canonicalJson } from "../domain/plan-hash.ts";

/** Where the thread is and what started the task: all a snapshot needs of a task. */
export type ThreadRef = Pick<Task, "owner" | "repo" | "issueNumber" | "triggerCommentId"> & Partial<Pick<Task, "instruction" | "issueTitle">>;

/**
 * The thread as the agent may see it: the issue's title and body, and the
 * comments of people with write access made before the trigger, all
 * sanitized. The app's own comments and everyone else's are left out. Taken
 * when a plan is made (and when a follow-up starts), and stored with the plan:
 * execution works from this snapshot, never from a new fetch.
 */
export async function threadSnapshot(gh: GitHubGateway, ref: ThreadRef, triggerAt: string, ownLogin: string | null): Promise<ThreadSnapshot> {
  if (ref.issueNumber === null) return requestSnapshot(ref);
  const repo = { owner: ref.owner, repo: ref.repo };
  const issue = await gh.issue(repo, ref.issueNumber);
  const comments = await gh.listComments(repo, ref.issueNumber);
  // The triggering comment's own time when it is in the thread; else (a label) when the task was created.
  const trigger = comments.find((c) => c.id === ref.triggerCommentId)?.createdAt ?? triggerAt;
  const people = comments.filter((c) => c.id !== ref.triggerCommentId && c.authorType !== "Bot" && c.author !== ownLogin);
  // Roles are looked up only for the authors of comments made before the trigger, once each.
  const before = selectThreadComments(people, { triggerAt: trigger, isWriter: () => true });
  const writers = new Set<string>();
  for (const login of new Set(before.map((c) => c.author))) {
    if (WRITER_ROLES.includes(await gh.role(repo, login))) writers.add(login);
  }
  const kept = before.filter((c) => writers.has(c.author)).map((c) => ({ author: c.author, body: sanitizeUntrusted(c.body) }));
  return { title: sanitizeUntrusted(issue.title), body: sanitizeUntrusted(issue.body), comments: kept, issueDigest: issueDigest(issue) };
}

/**
 * A task without an issue (created through the API, CLI, MCP or web app): its
 * "thread" is the request itself, its title the instruction's first line and
 * its body the instruction; there are no comments.
 */
function requestSnapshot(ref: ThreadRef): ThreadSnapshot {
  const body = ref.instruction ?? "";
  const title = ref.issueTitle || body.split("\n")[0]?.slice(0, 200) || "";
  return { title: sanitizeUntrusted(title), body: sanitizeUntrusted(body), comments: [], issueDigest: issueDigest({ title, body }) };
}

/** sha256 of an issue's title and body exactly as GitHub returns them: any edit changes it. */
export function issueDigest(issue: { title: string; body: string }): string {
  return createHash("sha256")
    .update(canonicalJson({ title: issue.title, body: issue.body }))
    .digest("hex");
}

/** Whether the issue (as fetched now) differs from the one the snapshot was taken of. */
export async function issueEditedSince(gh: GitHubGateway, ref: ThreadRef, snapshot: ThreadSnapshot): Promise<boolean> {
  if (ref.issueNumber === null) return false;
  const issue = await gh.issue({ owner: ref.owner, repo: ref.repo }, ref.issueNumber);
  return issueDigest(issue) !== snapshot.issueDigest;
}
