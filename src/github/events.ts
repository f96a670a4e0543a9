/**
 * Webhook payloads turned into the few typed events OpenJules acts on. These
 * are what the webhook handlers enqueue (as `inbound` jobs) and what the
 * worker dispatches; they carry everything the worker needs so it never has
 * to look at a raw payload.
 */

import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { type CiEvent, ciEventKey } from "./ci-events.ts";

export interface RepoInfo {
  owner: string;
  repo: string;
  /** `repository.clone_url`, so GitHub Enterprise Server works. */
  cloneUrl: string;
  defaultBranch: string;
  /** `repository.size` in KB, an early hint for the size limit. */
  sizeKb: number;
}

export interface Actor {
  login: string;
  id: number;
  /** "User", "Bot" or "Organization". */
  type: string;
  /** Slug of the GitHub App that made the comment, if one did. */
  appSlug: string | null;
  appId: number | null;
}

interface Base {
  installationId: number;
  repo: RepoInfo;
  issueNumber: number;
  isPullRequest: boolean;
}

export interface CommentEvent extends Base {
  kind: "comment";
  /** `issue`: issue or PR conversation comment; `review_comment`: on a diff line; `review`: a review's body. */
  source: "issue" | "review_comment" | "review";
  commentId: number;
  body: string;
  author: Actor;
  createdAt: string;
  /** Where a review comment points. */
  location: { path: string; line: number | null } | null;
}

export interface LabelEvent extends Base {
  kind: "labeled";
  label: string;
  issueTitle: string;
  sender: Actor;
}

export interface OpenedEvent extends Base {
  kind: "opened";
  labels: string[];
  issueTitle: string;
  sender: Actor;
}

export interface ClosedEvent extends Base {
  kind: "closed";
  sender: Actor;
}

/** `issues.assigned` / `issues.unassigned`: the worker compares `assignee` with jules.yml's `assignee` (else JULES_ASSIGNEE). */
export interface AssignmentEvent extends Base {
  kind: "assignment";
  action: "assigned" | "unassigned";
  assignee: string;
  issueTitle: string;
  sender: Actor;
}

/** `pull_request_review.submitted` with "Request changes": the review's body and line comments are one piece of feedback. */
export interface ChangesRequestedEvent extends Base {
  kind: "changes_requested";
  reviewId: number;
  body: string;
  author: Actor;
  submittedAt: string;
}

export type InboundEvent = CommentEvent | LabelEvent | OpenedEvent | ClosedEvent | AssignmentEvent | ChangesRequestedEvent | CiEvent;

/** The webhook events the handlers (handlers/) turn into inbound events. */
type HandledEventName =
  | "issue_comment.created"
  | "pull_request_review_comment.created"
  | "pull_request_review.submitted"
  | "issues.labeled"
  | "issues.opened"
  | "issues.closed"
  | "issues.assigned"
  | "issues.unassigned"
  | "pull_request.closed";
type Payload = EmitterWebhookEvent<HandledEventName>["payload"];
type IssueComment = EmitterWebhookEvent<"issue_comment.created">["payload"]["comment"];

/** The fields read here, picked from GitHub's own webhook payload types (@octokit/webhooks). */
type PayloadRepo = Pick<Payload["repository"], "name" | "owner" | "clone_url" | "default_branch" | "size">;
type PayloadUser = Pick<NonNullable<IssueComment["user"]> | Payload["sender"], "login" | "id" | "type">;
type PayloadApp = Pick<NonNullable<IssueComment["performed_via_github_app"]>, "id" | "slug">;

export function repoInfo(repository: PayloadRepo): RepoInfo {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    cloneUrl: repository.clone_url,
    defaultBranch: repository.default_branch,
    sizeKb: repository.size ?? 0,
  };
}

export function actor(user: PayloadUser | null | undefined, app?: PayloadApp | null): Actor {
  return {
    login: user?.login ?? "ghost",
    id: user?.id ?? 0,
    type: user?.type ?? "User",
    appSlug: app?.slug ?? null,
    appId: app?.id ?? null,
  };
}

/** Stable key of an event for exactly-once intake: the same comment under two deliveries is one event. */
export function eventKey(event: InboundEvent, deliveryId: string): string {
  const where = `${event.repo.owner}/${event.repo.repo}`;
  switch (event.kind) {
    case "comment":
      return `comment:${event.source}:${event.commentId}`;
    case "opened":
      return `opened:${where}#${event.issueNumber}`;
    case "changes_requested":
      return `review:${event.reviewId}`;
    case "ci":
      return ciEventKey(event);
    default:
      return `delivery:${deliveryId}`;
  }
}

/** Who did what the event reports: the gate's subject. */
export function eventActor(event: InboundEvent): Actor {
  return event.kind === "comment" || event.kind === "changes_requested" ? event.author : event.sender;
}

/** The fields of a new issue task that come from where the event happened. */
export function taskOrigin(event: InboundEvent) {
  return {
    installationId: event.installationId,
    owner: event.repo.owner,
    repo: event.repo.repo,
    issueNumber: event.issueNumber,
    kind: "issue" as const,
    cloneUrl: event.repo.cloneUrl,
  };
}
