import type { Caller } from "../../domain/actor.ts";
import type { Task, TaskEvent, TaskLogEvent, TaskState } from "../../domain/model.ts";

/**
 * The control plane: every use case a person can start, once, for every face
 * (the thread, the HTTP API /api/v1, the CLI, the MCP server, the web app).
 * A face parses its input into these calls and renders what they return;
 * permissions (operator token, personal tokens, the user's role on the
 * repository, the four-eyes rule) are checked here, never in a face. Every
 * write is recorded in the task's history with the caller's actor name and
 * face.
 */
export interface ControlPlane {
  list(caller: Caller, query: ListQuery): Promise<Result<TaskPage>>;
  get(caller: Caller, id: string): Promise<Result<TaskView>>;
  create(caller: Caller, input: CreateInput): Promise<Result<{ task: Task; created: boolean }>>;
  approve(caller: Caller, id: string, input: { note?: string }): Promise<Result<Task>>;
  revise(caller: Caller, id: string, input: { feedback: string }): Promise<Result<Task>>;
  /** Text for the task: the agent's next turn (working), its first turn once resumed (paused), a revision (awaiting approval), a follow-up (done with a PR). */
  message(caller: Caller, id: string, input: { text: string }): Promise<Result<{ task: Task; delivery: MessageDelivery }>>;
  cancel(caller: Caller, id: string, input: { reason?: string }): Promise<Result<Task>>;
  /** Stops a working task at its next turn, keeping its work (a WIP commit), as `paused`. */
  pause(caller: Caller, id: string, input: { reason?: string }): Promise<Result<Task>>;
  /** A paused task goes on from its checkpoint; `extra` is more budget ("$2", "20 turns", "30 minutes", "100k tokens"). */
  resume(caller: Caller, id: string, input: { extra?: string }): Promise<Result<Task>>;
  /** A failed task's last job again (planning or execution), as the CLI's retry does today. */
  retry(caller: Caller, id: string): Promise<Result<Task>>;
  /** The unified diff of the task's branch against its base. */
  diff(caller: Caller, id: string): Promise<Result<TaskDiff>>;
  /** The task's event log after `after` (an event id; 0 for the start). */
  events(caller: Caller, id: string, input: { after: number; limit: number }): Promise<Result<TaskLogEvent[]>>;
  /**
   * The task's events after `after`, history first then live, until `signal`
   * aborts (an SSE stream, `events --follow`, `monitor`). Permission is
   * checked once, before the first event.
   */
  follow(caller: Caller, id: string, input: { after: number; signal: AbortSignal }): Promise<Result<AsyncIterable<TaskLogEvent>>>;
  /** Returns when the task's state differs from `state` (its current one when not given), or after `timeoutMs` (`changed: false`). */
  waitForChange(caller: Caller, id: string, input: { state?: TaskState; timeoutMs: number; signal?: AbortSignal }): Promise<Result<{ task: Task; changed: boolean }>>;
  /** Repositories the app is installed on that the caller may use. */
  repositories(caller: Caller): Promise<Result<Repository[]>>;
  branches(caller: Caller, repository: string): Promise<Result<string[]>>;
  /** A finished task's spoken summary: its text, and WAV audio when this server has a speech engine (else null: the page speaks the text). */
  summary(caller: Caller, id: string): Promise<Result<SpokenSummaryView>>;
  /** The models a task may ask for: the operator's default and JULES_ALLOWED_MODELS (any caller). */
  models(caller: Caller): Promise<Result<ModelChoices>>;
  /** The repository's `.github/jules.yml` with the operator's caps applied, as a task started now would get it. */
  repositorySettings(caller: Caller, repository: string): Promise<Result<EffectiveSettings>>;
}

export interface SpokenSummaryView {
  text: string;
  audio: Uint8Array | null;
  /** The engine that spoke it ("espeak-ng 1.51"); null without audio. */
  engine: string | null;
}

export interface ModelChoices {
  /** `provider:model` of the operator (JULES_PROVIDER, JULES_MODEL); null when none is configured. */
  default: string | null;
  allowed: string[];
}

export interface EffectiveSettings {
  approval: "required" | "auto";
  approvers: "writers" | "others";
  budgets: { maxTurns: number; maxTokens: number; maxCostUsd: number; maxMinutes: number };
  /** `provider:model` the task would use when it asks for none; null when the server has none. */
  model: string | null;
  command: string;
}

export interface ListQuery {
  /** `owner/name` */
  repository?: string;
  owner?: string;
  state?: TaskState;
  limit: number;
  offset: number;
}

export interface CreateInput {
  /** `owner/name`: a repository the app is installed on. */
  repository: string;
  instruction: string;
  /** The base branch; the repository's default when not given. */
  base?: string;
  /** The task lives in this issue's thread (status and plan comments) as if `/jules <instruction>` had been written there. */
  issue?: number;
  /** `provider:model` or a model, within JULES_ALLOWED_MODELS. */
  model?: string;
  /** A retried request with the same key creates one task (namespaced per caller). */
  idempotencyKey?: string;
  /**
   * `ask`: the instruction is a question, answered from the code and never changing it (no plan, approval,
   * branch or pull request; with an issue that is a pull request, about its diff). `issue` (the default): a change.
   */
  kind?: "issue" | "ask";
}

/** Where a message went: the agent's next turn; its first turn after a resume (the task is paused); a revision of the plan; a follow-up on the PR. */
export type MessageDelivery = "next_turn" | "on_resume" | "revision" | "follow_up";

export interface TaskSummary {
  id: string;
  repository: string;
  issueNumber: number | null;
  kind: Task["kind"];
  state: TaskState;
  title: string;
  requestedBy: string;
  face: Task["face"];
  pullRequestUrl: string | null;
  failure: string | null;
  costUsd: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskPage {
  tasks: TaskSummary[];
  limit: number;
  offset: number;
  /** Offset of the next page, null on the last one. */
  nextOffset: number | null;
}

export interface TaskView {
  task: Task;
  history: TaskEvent[];
  links: { issue: string | null; plan: string | null; pullRequest: string | null };
  /** What the caller may do to this task (its repository's rule: a writer role and the token's write scope), so a face shows only the actions that would be allowed. */
  permissions: { write: boolean };
}

export interface TaskDiff {
  base: string;
  branch: string;
  /** Unified diff text (what `git diff base...branch` prints); empty when the branch has no change. */
  diff: string;
}

export interface Repository {
  /** `owner/name` */
  fullName: string;
  defaultBranch: string;
  private: boolean;
}

/**
 * Failures every face renders its own way (HTTP status + problem+json, an
 * MCP tool error, a CLI exit code, a thread reply). `detail` says what
 * happened and what to do, in words a person can act on.
 */
export type ErrorCode = "invalid" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "unavailable";

export interface UseCaseError {
  code: ErrorCode;
  /** A short, stable title ("Plan not waiting for approval"). */
  title: string;
  detail: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: UseCaseError };

/** HTTP status for each error code (the API's problem+json `status`). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};
