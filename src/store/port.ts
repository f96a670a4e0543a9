import type { Face } from "../domain/actor.ts";
import type { LogEventData, Task, TaskEvent, TaskLogEvent, TaskMessage, TaskState } from "../domain/model.ts";

/** Fields given when a task is created; the store fills in the rest (`face` defaults to thread, `model` to null). */
export type NewTask = Pick<
  Task,
  "installationId" | "owner" | "repo" | "issueNumber" | "kind" | "cloneUrl" | "instruction" | "issueTitle" | "requestedBy" | "triggerCommentId" | "baseBranch" | "command"
> &
  Partial<Pick<Task, "face" | "model" | "ownKey">> & {
    /**
     * A retried `POST /api/v1/tasks` with the same key creates nothing: the
     * store answers the task the key first created (`replayed`). The caller
     * namespaces the key (per principal) and adds a digest of the request, so
     * the same key with another request is told apart (`conflict`).
     */
    idempotency?: { key: string; digest: string } | undefined;
  };

/** Fields that may change without a state transition (a task's kind never changes: a question stays one). */
export type TaskPatch = Partial<Omit<Task, "id" | "kind" | "state" | "createdAt" | "updatedAt" | "installationId" | "owner" | "repo" | "issueNumber" | "command">>;

export type CreateResult =
  | { created: true; task: Task }
  | { created: false; active: Task }
  /** The idempotency key was used before with the same request: the task it created. */
  | { created: false; replayed: Task }
  /** The idempotency key was used before with another request. */
  | { created: false; conflict: Task };

export interface TransitionInput {
  from: TaskState | readonly TaskState[];
  to: TaskState;
  actor: string;
  /** The face the change came through; `system` when not given (OpenJules's own jobs). */
  face?: Face;
  reason: string;
  /** Extra fields written in the same transaction. */
  patch?: TaskPatch;
  /** Apply only if the task's current plan hash equals this (ties approval to the plan shown). */
  planHash?: string;
}

export interface TaskFilter {
  owner?: string;
  repo?: string;
  /** Only tasks of these repositories (`owner/name`, compared case-insensitively): what a personal token may see. */
  repositories?: readonly string[];
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
  /**
   * Appends to the task's event log (in order; ids increase). Every
   * transition also appends its `state` event in the same transaction. The
   * log keeps the newest `JULES_EVENT_LOG_MAX` events of a task (retention).
   */
  appendEvents(taskId: string, events: readonly LogEventData[]): Promise<TaskLogEvent[]>;
  /** The task's events with an id greater than `afterId`, oldest first, at most `limit`. */
  readEvents(taskId: string, afterId: number, limit: number): Promise<TaskLogEvent[]>;
  /** Queues text for the task's agent (and appends its `message` event). */
  addMessage(taskId: string, message: Pick<TaskMessage, "author" | "face" | "body">): Promise<TaskMessage>;
  /** The messages not yet delivered, oldest first, marked delivered in the same step (each is taken once, by one process). */
  takeMessages(taskId: string): Promise<TaskMessage[]>;
  /** Web sessions, users' provider keys and spoken summaries, in the same database (closed with the store). */
  readonly accounts: AccountStore;
  /** What was done about failing checks on OpenJules's pull requests (src/tasks/ci-fix), in the same database. */
  readonly ciFixes: CiFixStore;
  close(): Promise<void>;
}

/**
 * A web session (src/web). The cookie carries a random secret; the store keeps
 * only its SHA-256 (`id`), so a copy of the database cannot be used to sign in.
 * `githubToken` is the user-to-server token, sealed (AES-256-GCM, src/security/sealed.ts)
 * before it reaches the store.
 */
export interface WebSession {
  /** hex SHA-256 of the cookie's secret */
  id: string;
  login: string;
  userId: number;
  /** The synchronizer token every state-changing request must carry (X-CSRF-Token). */
  csrfToken: string;
  githubToken: string;
  /** `owner/name` (lower case) the user can see among the app's installations, as of `repositoriesAt`. */
  repositories: string[];
  repositoriesAt: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** A user's own provider API key (JULES_ALLOW_USER_KEYS), sealed at rest; `last4` is all that is ever shown again. */
export interface UserKey {
  login: string;
  provider: "openai" | "anthropic" | "openai-compatible";
  sealed: string;
  last4: string;
  createdAt: string;
}

/** A finished task's spoken summary: its text, and the audio when a speech engine made one. */
export interface SpokenSummary {
  taskId: string;
  /** hex SHA-256 of the text: a changed task (a follow-up) gets a new summary. */
  textHash: string;
  text: string;
  /** audio/wav bytes; null when no engine was available (the page uses the browser's speech synthesis). */
  audio: Uint8Array | null;
  /** e.g. "espeak-ng 1.51", or null */
  engine: string | null;
  createdAt: string;
}

/**
 * What OpenJules did about the checks that failed on one head commit of one of its pull requests (src/tasks/ci-fix):
 * `pending` while deciding; `started` (a follow-up it started, `automatic`), `suggested` (`ci_fix: ask`: it posted
 * the failing checks and `/jules fix-ci`), `requested` (a person's `/jules fix-ci` started one), or `skipped` (why in `reason`).
 */
export type CiFixDecision = "pending" | "started" | "suggested" | "requested" | "skipped";
/** `base`: they fail on the base branch too; `human`: a person pushed after OpenJules's last commit; `limit`: max_ci_fix_attempts reached; `busy`: another task works on the pull request. */
export type CiFixReason = "base" | "human" | "limit" | "busy";

export interface CiFixCheck {
  name: string;
  url: string;
  /** The same check fails on the base branch's head too. */
  onBase: boolean;
}

export interface CiFixKey {
  owner: string;
  repo: string;
  pullRequestNumber: number;
  headSha: string;
}

export interface CiFixRecord extends CiFixKey {
  decision: CiFixDecision;
  /** Counted against max_ci_fix_attempts (started by `ci_fix: auto`). */
  automatic: boolean;
  reason: CiFixReason | null;
  /** For `human`: who pushed, and their commit. */
  detail: string | null;
  checks: CiFixCheck[];
  /** The follow-up that works on it. */
  taskId: string | null;
  /** The commit that follow-up pushed, once known. */
  fixSha: string | null;
  /** What the checks said on that commit. */
  verdict: "passed" | "failed" | null;
  createdAt: string;
  updatedAt: string;
}

export type CiFixPatch = Partial<Pick<CiFixRecord, "decision" | "reason" | "detail" | "checks" | "taskId" | "fixSha" | "verdict">>;

/** One record per failing head commit of a pull request (owner and repository names compared without case). */
export interface CiFixStore {
  /** Records a failing head commit once (`pending`); `created` false with the record already kept for it. */
  record(key: CiFixKey, checks: CiFixCheck[]): Promise<{ created: boolean; record: CiFixRecord }>;
  /**
   * Takes one of the pull request's automatic attempts for this head: the record becomes `started` and `automatic`,
   * unless `max` attempts of the pull request were taken already (then null, the record unchanged). Atomic across
   * processes; a record that already holds its attempt is returned as it is (a retried job).
   */
  claimAttempt(key: CiFixKey, max: number): Promise<CiFixRecord | null>;
  update(key: CiFixKey, patch: CiFixPatch): Promise<CiFixRecord>;
  get(key: CiFixKey): Promise<CiFixRecord | null>;
  /** The pull request's records, oldest first. */
  list(owner: string, repo: string, pullRequestNumber: number): Promise<CiFixRecord[]>;
  findByTask(taskId: string): Promise<CiFixRecord | null>;
  /** The pull request's comment that shows the records (edited in place), once posted. */
  statusComment(owner: string, repo: string, pullRequestNumber: number): Promise<number | null>;
  setStatusComment(owner: string, repo: string, pullRequestNumber: number, commentId: number): Promise<void>;
}

export interface AccountStore {
  createSession(session: WebSession): Promise<void>;
  /** The session, also when expired or revoked (the caller decides); null when unknown. */
  findSession(id: string): Promise<WebSession | null>;
  updateSessionRepositories(id: string, repositories: string[], at: string): Promise<void>;
  revokeSession(id: string, at: string): Promise<void>;
  /** Removes sessions expired or revoked before `before`; returns how many. */
  pruneSessions(before: string): Promise<number>;
  /** Saves (or replaces) the user's key for that provider. */
  putUserKey(key: UserKey): Promise<void>;
  /** The user's keys, newest first. */
  listUserKeys(login: string): Promise<UserKey[]>;
  getUserKey(login: string, provider: UserKey["provider"]): Promise<UserKey | null>;
  /** True when there was one to delete. */
  deleteUserKey(login: string, provider: UserKey["provider"]): Promise<boolean>;
  putSummary(summary: SpokenSummary): Promise<void>;
  getSummary(taskId: string): Promise<SpokenSummary | null>;
}
