import type { Task, TaskEvent, TaskState } from "../domain/model.ts";

/** Fields given when a task is created; the store fills in the rest. */
export type NewTask = Pick<
  Task,
  "installationId" | "owner" | "repo" | "issueNumber" | "kind" | "cloneUrl" | "instruction" | "issueTitle" | "requestedBy" | "triggerCommentId" | "baseBranch" | "command"
>;

/** Fields that may change without a state transition. */
export type TaskPatch = Partial<Omit<Task, "id" | "state" | "createdAt" | "updatedAt" | "installationId" | "owner" | "repo" | "issueNumber" | "command">>;

export type CreateResult = { created: true; task: Task } | { created: false; active: Task };

export interface TransitionInput {
  from: TaskState | readonly TaskState[];
  to: TaskState;
  actor: string;
  reason: string;
  /** Extra fields written in the same transaction. */
  patch?: TaskPatch;
  /** Apply only if the task's current plan hash equals this (ties approval to the plan shown). */
  planHash?: string;
}

export interface TaskFilter {
  owner?: string;
  repo?: string;
  state?: TaskState;
  limit?: number;
  offset?: number;
}

/**
 * Durable task storage. Implementations enforce, in the database itself:
 * one active (non-terminal) task per issue, and conditional transitions (a
 * transition applies only from the expected state, so concurrent approvals
 * execute a plan once). SQLite is the embedded default; PostgreSQL implements
 * the same contract (test/store/contract.ts runs against both).
 */
export interface TaskStore {
  /** Creates a task in state `queued`, unless the issue already has an active task. */
  create(input: NewTask, actor: string, reason: string): Promise<CreateResult>;
  get(id: string): Promise<Task | null>;
  /** The non-terminal task of an issue or pull request, if any. */
  findActive(owner: string, repo: string, issueNumber: number): Promise<Task | null>;
  /** The task that opened this pull request (the most recent one). */
  findByPullRequest(owner: string, repo: string, pullRequestNumber: number): Promise<Task | null>;
  /** The most recent task of an issue, whatever its state. */
  findLatest(owner: string, repo: string, issueNumber: number): Promise<Task | null>;
  /**
   * Moves the task to `to` if its state is one of `from` (and its plan hash
   * matches `planHash` when given). Returns the updated task, or null when the
   * condition did not hold (another process got there first). Throws
   * IllegalTransitionError for a move the state machine forbids.
   */
  transition(id: string, input: TransitionInput): Promise<Task | null>;
  /** Writes non-state fields; returns the updated task. */
  update(id: string, patch: TaskPatch): Promise<Task>;
  history(id: string): Promise<TaskEvent[]>;
  list(filter?: TaskFilter): Promise<Task[]>;
  close(): Promise<void>;
}
