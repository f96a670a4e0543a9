/**
 * The task: the durable record of one request to OpenJules, from the trigger to
 * a pull request (or a failure, or a cancellation). Plain data, no behaviour.
 */

import type { Face } from "./actor.ts";

export const TASK_STATES = ["queued", "planning", "awaiting_approval", "revising", "approved", "working", "testing", "paused", "done", "failed", "cancelled"] as const;

export type TaskState = (typeof TASK_STATES)[number];

export const TERMINAL_STATES: readonly TaskState[] = ["done", "failed", "cancelled"];

/** The phases a person sees in the status checklist. */
export type Phase = "queued" | "planning" | "approval" | "working" | "testing" | "pull_request";

/** Where a task lives on GitHub. */
export interface TaskRef {
  installationId: number;
  owner: string;
  repo: string;
  /**
   * Issue (or pull request) number the conversation happens in; null for a
   * task created through the API, CLI, MCP or web app without an issue (it has
   * no status or plan comment and is followed through those faces).
   */
  issueNumber: number | null;
}

export interface PlanStep {
  title: string;
  detail?: string | undefined;
  files: string[];
}

/** A plan as the agent submits it (validated with a zod schema in agent/plan.ts). */
export interface Plan {
  summary: string;
  steps: PlanStep[];
  risks: string[];
  verification: string;
}

/**
 * The issue thread a plan was made from, kept with the plan (every plan
 * version has its own) so that execution works from what was approved, never
 * from a refetch the issue's author could have edited in between.
 */
export interface ThreadSnapshot {
  /** Title, body and the writers' comments before the trigger, sanitized: exactly what the agent was shown. */
  title: string;
  body: string;
  comments: { author: string; body: string }[];
  /** sha256 of the issue's title and body as GitHub returned them, to tell later whether the issue was edited. */
  issueDigest: string;
  /** A follow-up from a review that requested changes: the review and the threads of its line comments, each answered after the push. */
  review?: ReviewThreads | undefined;
  /** A follow-up that fixes its pull request's failing checks: what failed, kept with the approved snapshot (bound by the plan hash). */
  ci?: CiFailure | undefined;
}

/**
 * The failing checks a CI fix follow-up works from (src/tasks/ci-fix): the commit they failed on, their names, whether
 * `ci_fix: auto` started it (else a person's `/jules fix-ci`), and what they said (output, annotations, the end of the
 * GitHub Actions jobs' logs), sanitized: CI output is data, given to the agent delimited as untrusted.
 */
export interface CiFailure {
  headSha: string;
  checks: string[];
  automatic: boolean;
  evidence: string;
}

/** The review a follow-up answers: its id, and one entry per thread its line comments are in (`threadId` is where a reply goes). */
export interface ReviewThreads {
  id: number;
  threads: { threadId: number; path: string; line: number | null }[];
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  calls: number;
  wallMs: number;
  costUsd: number;
}

export interface Failure {
  /** The phase that failed, in words a person reads ("planning", "tests", ...). */
  phase: string;
  reason: string;
  /** What the person in the thread can do next. */
  hint: string;
  /** Command output that explains the failure (a failed setup's last lines), cleaned and redacted; shown as a block. */
  output?: string;
}

/** `person`: an `/approve` (or a writer's own follow-up request); `auto`: `approval: auto` in .github/jules.yml. */
export const APPROVAL_KINDS = ["person", "auto"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/**
 * `issue`: a task started from an issue; `follow_up`: more commits on a pull request OpenJules opened;
 * `ask`: a question (`/jules ask`) answered from the code in the thread, which never changes anything
 * (no approval, no branch, no pull request: the state machine gives it no way there).
 */
export type TaskKind = "issue" | "follow_up" | "ask";

/** Why a task is `paused`, and where it can go on from. */
export interface PauseInfo {
  /** The budget it reached, or `operator` when a person paused it. */
  cause: "turns" | "tokens" | "cost" | "time" | "operator";
  /** In words, e.g. "reached its budget of $2.00 (estimated)". */
  reason: string;
  at: string;
  /** The work-in-progress commit pushed to the task's branch (null when there was nothing to commit). */
  checkpointSha: string | null;
  /** A summary of the conversation so far, given to the agent when it resumes. */
  summary: string | null;
  /**
   * On a pending request (summary null) of a task that was paused before: the completed pause its run went on
   * from, so an execution restarted before it pauses still resumes from there (and not from the start).
   */
  resumedFrom?: { summary: string; checkpointSha: string | null };
}

/**
 * A task that runs on the provider key of the person who started it (their own
 * key, saved on the web app's Settings page, JULES_ALLOW_USER_KEYS) instead of
 * the operator's: whose key, for which provider, and its last four characters
 * (what the task page shows its usage billed to). Never the key itself.
 */
export interface OwnKeyRef {
  login: string;
  provider: string;
  last4: string;
}

/** Budget added on top of the repository's by `resume` (within the operator's caps). */
export interface ExtraBudget {
  turns: number;
  tokens: number;
  costUsd: number;
  minutes: number;
}

export interface Task extends TaskRef {
  id: string;
  kind: TaskKind;
  state: TaskState;
  /** `repository.clone_url` from the webhook payload (so GitHub Enterprise Server works). */
  cloneUrl: string;
  /** What the person asked for; empty means "the issue itself is the task". */
  instruction: string;
  /** Title of the issue at trigger time (context for the agent and the PR title). */
  issueTitle: string;
  requestedBy: string;
  /** The command word the task was asked with (jules.yml `command`, `jules` by default): the status comment's hints use it, in any process. */
  command: string;
  /** The comment that started the task, if a comment did (labels have none). */
  triggerCommentId: number | null;
  /** Base branch for the pull request (the repository's default unless the command named one). */
  baseBranch: string | null;
  statusCommentId: number | null;
  /** The comment of the current plan, or of the answer posted instead of a plan. */
  planCommentId: number | null;
  /** The plan comment's `created_at` exactly as GitHub returned it (GitHub's clock, whole seconds); null for tasks from before it was kept. */
  planCommentCreatedAt: string | null;
  plan: Plan | null;
  /** Identity of the plan together with `planContext` (plan-hash.ts): what an approval is bound to. */
  planHash: string | null;
  /** The thread the current plan was made from; written with the plan, read by execution. Null before the first plan. */
  planContext: ThreadSnapshot | null;
  /** How many plans were made (1 for the first, +1 per revision). */
  planVersion: number;
  /** Feedback given with the last `/revise`, consumed by the next planning run. */
  revisionFeedback: string | null;
  /** Who approved, for an approval by a person; null under `approval: auto`. */
  approvedBy: string | null;
  /** How the plan was approved; null until it is. */
  approvalKind: ApprovalKind | null;
  approvedPlanHash: string | null;
  /** An answer instead of a plan, for questions that need no code change. */
  answer: string | null;
  branch: string | null;
  pullRequestNumber: number | null;
  pullRequestUrl: string | null;
  failure: Failure | null;
  usage: Usage | null;
  /** One line on what the agent did so far ("read 6 files, edited 2"). */
  activity: string | null;
  /** The face the task was created through (thread for a comment or label). */
  face: Face;
  /** Provider and model asked for at creation (`provider:model`, within JULES_ALLOWED_MODELS); null: the repository's or operator's default. */
  model: string | null;
  /** Set while the task is `paused` (and kept after, for the record of the last pause). */
  pause: PauseInfo | null;
  /** Budget added by resumes, on top of the repository's budgets. */
  extraBudget: ExtraBudget | null;
  /** The estimated cost of executing the current plan, in USD (agent/estimate), shown in the plan comment; null before a plan. */
  costEstimateUsd: number | null;
  /** The requester's own provider key the task runs on (planning and execution), or null: the operator's. */
  ownKey: OwnKeyRef | null;
  createdAt: string;
  updatedAt: string;
}

/** One entry of a task's state history. */
export interface TaskEvent {
  taskId: string;
  at: string;
  from: TaskState | null;
  to: TaskState;
  actor: string;
  /** The face the change came through. */
  face: Face;
  reason: string;
}

/**
 * The task's ordered, durable event log (what `GET /api/v1/tasks/:id/events`
 * streams): state transitions (written by the store with each transition),
 * agent activity, commands with exit codes, output in chunks, the plan, the
 * pull request, messages. Text is redacted before it is stored.
 */
export type LogEventData =
  | { type: "state"; from: TaskState | null; to: TaskState; actor: string; face: Face; reason: string }
  | { type: "activity"; line: string }
  | { type: "tool"; tool: string; summary: string }
  | { type: "command"; source: "setup" | "tests" | "agent"; command: string; exitCode: number | null; durationMs: number }
  | { type: "output"; source: "setup" | "tests" | "agent"; chunk: string }
  | { type: "plan"; version: number; summary: string; steps: number; costEstimateUsd: number | null }
  | { type: "pull_request"; number: number; url: string }
  | { type: "message"; from: string; face: Face; text: string }
  | { type: "usage"; usage: Usage }
  | { type: "paused"; cause: PauseInfo["cause"]; reason: string; checkpointSha: string | null };

export type LogEventType = LogEventData["type"];

export interface TaskLogEvent {
  /** Increases with every event the store writes (across tasks): the SSE id, and what Last-Event-ID resumes after. */
  id: number;
  taskId: string;
  at: string;
  data: LogEventData;
}

/** Text sent to a task (`message`), waiting for the agent's next turn or already taken. */
export interface TaskMessage {
  id: number;
  taskId: string;
  author: string;
  face: Face;
  body: string;
  createdAt: string;
  /** When the agent took it into its conversation; null while waiting. */
  deliveredAt: string | null;
}
