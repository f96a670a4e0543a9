/**
 * Real webhook payloads from `@octokit/webhooks-examples` (GitHub's own
 * examples), copied and rewritten per test case.
 */
import { createRequire } from "node:module";
import { githubClock, issueCommentId } from "./github-clock.ts";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];

export const INSTALLATION_ID = 2;

/** A copy of the first example of `name`.`action` (that `pick` accepts), on installation INSTALLATION_ID. */
export function example(name: string, action: string, pick: (e: Record<string, unknown>) => boolean = () => true): Record<string, any> {
  const found = examples.find((e) => e.name === name)?.examples.find((e) => e.action === action && pick(e));
  if (!found) throw new Error(`no example ${name}.${action}`);
  const copy = structuredClone(found) as Record<string, any>;
  copy.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  return copy;
}

let reviewCommentIds = 700_000;

export function issueComment(opts: {
  body: string;
  login?: string;
  userType?: "User" | "Bot";
  viaAppId?: number;
  viaAppSlug?: string;
  commentId?: number;
  onPullRequest?: boolean;
  issueNumber?: number;
  createdAt?: string;
}) {
  const payload = example("issue_comment", "created", (e) => !(e.issue as { pull_request?: unknown }).pull_request);
  const login = opts.login ?? "Codertocat";
  payload.comment.id = opts.commentId ?? issueCommentId();
  payload.comment.body = opts.body;
  payload.comment.user = { ...payload.comment.user, login, type: opts.userType ?? "User" };
  payload.comment.created_at = opts.createdAt ?? githubClock.now();
  payload.comment.performed_via_github_app = opts.viaAppId ? { id: opts.viaAppId, slug: opts.viaAppSlug ?? "some-app", name: "App" } : null;
  payload.sender = { ...payload.sender, login, type: opts.userType ?? "User" };
  if (opts.issueNumber) payload.issue.number = opts.issueNumber;
  if (opts.onPullRequest) payload.issue.pull_request = { url: "", html_url: "", diff_url: "", patch_url: "" };
  return payload;
}

export function issueLabeled(opts: { label: string; login?: string; issueNumber?: number }) {
  const payload = example("issues", "labeled");
  payload.label = { ...payload.label, name: opts.label };
  payload.sender = { ...payload.sender, login: opts.login ?? "Codertocat", type: "User" };
  if (opts.issueNumber) payload.issue.number = opts.issueNumber;
  return payload;
}

export function issueOpened(opts: { labels: string[]; login?: string; issueNumber?: number }) {
  const payload = example("issues", "opened");
  payload.issue.labels = opts.labels.map((name, i) => ({ id: 1000 + i, node_id: "L", url: "", name, color: "ededed", default: false, description: null }));
  payload.sender = { ...payload.sender, login: opts.login ?? "Codertocat", type: "User" };
  if (opts.issueNumber) payload.issue.number = opts.issueNumber;
  return payload;
}

/** GitHub's examples have no `issues.closed`: the `reopened` example, closed. */
export function issueClosed(opts: { login?: string; issueNumber?: number }) {
  const payload = example("issues", "reopened");
  payload.action = "closed";
  payload.issue.state = "closed";
  payload.issue.closed_at = new Date().toISOString();
  payload.sender = { ...payload.sender, login: opts.login ?? "Codertocat", type: "User" };
  if (opts.issueNumber) payload.issue.number = opts.issueNumber;
  return payload;
}

/** A comment on a line of a pull request's diff. */
export function reviewComment(opts: { body: string; login?: string; pullNumber: number; path: string; line: number }) {
  const payload = example("pull_request_review_comment", "created");
  const login = opts.login ?? "Codertocat";
  payload.comment = {
    ...payload.comment,
    id: reviewCommentIds++,
    body: opts.body,
    path: opts.path,
    line: opts.line,
    created_at: githubClock.now(),
    user: { ...payload.comment.user, login, type: "User" },
  };
  payload.pull_request.number = opts.pullNumber;
  payload.sender = { ...payload.sender, login, type: "User" };
  return payload;
}
