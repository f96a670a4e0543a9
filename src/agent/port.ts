import type { RepoConfig } from "../config/repo-config.ts";
import type { Face } from "../domain/actor.ts";
import type { LogEventData, PauseInfo, Plan, Task, Usage } from "../domain/model.ts";
import type { TestReport } from "../domain/test-report.ts";

/**
 * What the task pipeline needs from an agent. The foundation drives these
 * interfaces; the tool-calling agent (agent/loop) implements them. Tests of the
 * foundation use doubles that keep the same contract.
 */

/** Untrusted thread text, already filtered (writers only, before the trigger) and sanitized. */
export interface ThreadContext {
  title: string;
  body: string;
  comments: { author: string; body: string }[];
}

export interface Progress {
  /** One line on what the agent did so far, e.g. "read 6 files, edited 2". */
  activity(line: string): void;
  /** Cumulative usage of the task so far. */
  usage(usage: Usage): void;
  /** The executor entered the test phase (`testing`) or went back to editing (`working`). */
  phase?(phase: "working" | "testing"): void;
}

/**
 * Where a run writes the task's event log (tasks/task-events.ts: batched
 * over the store, every string redacted): the tools the agent calls, the
 * commands it runs and their output. `emit` never throws and never waits.
 */
export interface TaskEvents {
  emit(data: LogEventData): void;
}

/**
 * The requester's own provider key a task runs on (JULES_ALLOW_USER_KEYS, src/tasks/own-key.ts),
 * used instead of the operator's for the task's provider; never logged, redacted from the transcript.
 */
export interface TaskKey {
  provider: string;
  apiKey: string;
}

/**
 * The pull request a question (`/jules ask` on a pull request) is about: its
 * changed files and their patches as GitHub lists them (capped), and what the
 * working copy is: the head branch, or the base when the head is in a fork.
 */
export interface PullRequestDiff {
  number: number;
  title: string;
  baseRef: string;
  /** The branch checked out for the agent to read. */
  checkedOut: string;
  /** Whether that is the pull request's head (its changes are in the working copy). */
  checkedOutHead: boolean;
  files: { path: string; previousPath: string | null; status: string; additions: number; deletions: number; patch: string | null }[];
  /** The pull request changes more files than these. */
  more: boolean;
}

export interface PlanRequest {
  task: Task;
  thread: ThreadContext;
  config: RepoConfig;
  /** The task's working copy, checked out at the base branch. */
  workdir: string;
  previousPlan: Plan | null;
  feedback: string | null;
  /** A question asked on a pull request (task kind `ask`): the diff it is about. */
  pullRequest?: PullRequestDiff | null | undefined;
  progress: Progress;
  /** The task's event log (tool calls); absent: nothing is written. */
  events?: TaskEvents | undefined;
  /** The requester's own key for the task's provider; absent: the operator's. */
  ownKey?: TaskKey | undefined;
  signal: AbortSignal;
}

/** What executing a plan should cost (agent/estimate.ts), next to the budget it runs under. */
export interface CostEstimate {
  /** Null when the model's price is unknown. */
  estimateUsd: number | null;
  budgetUsd: number;
}

export type PlanOutcome = { kind: "plan"; plan: Plan; usage: Usage; cost?: CostEstimate | undefined } | { kind: "answer"; answer: string; usage: Usage };

/** A message a person sent to the running task (store.takeMessages). */
export interface PendingMessage {
  author: string;
  face: Face;
  body: string;
}

/** Where a paused task left off, given to the agent when it resumes (from task.pause). */
export interface ResumePoint {
  /** The summary of the conversation before the pause. */
  summary: string;
  checkpointSha: string | null;
  branch: string | null;
}

export interface ExecuteRequest {
  task: Task;
  plan: Plan;
  thread: ThreadContext;
  config: RepoConfig;
  workdir: string;
  /** The task's HOME (Workspace.homeDir): every command of the task (setup, `run`, tests) runs with it. */
  home: string;
  /**
   * The record of the agent's change (Workspace.changes): only what its tools
   * write and the `run` commands it keeps is committed. Without it nothing the
   * agent does is recorded, so nothing is committed.
   */
  changes?: ChangeRecord;
  /** Follow-up feedback on a pull request (`/jules <feedback>` on the PR), with file and line for review comments. */
  feedback: string | null;
  /** Messages sent to the task while it runs, asked before each model call; each is taken once. */
  messages?: (() => Promise<PendingMessage[]>) | undefined;
  /** Whether a person asked the task to pause: the reason, or null; asked before each model call. */
  pauseRequested?: (() => Promise<string | null>) | undefined;
  /** Set when the task was paused before: the run goes on from there instead of starting over. */
  resume?: ResumePoint | null | undefined;
  progress: Progress;
  /** The task's event log (tool calls, commands with their output); absent: nothing is written. */
  events?: TaskEvents | undefined;
  /** The requester's own key for the task's provider; absent: the operator's. */
  ownKey?: TaskKey | undefined;
  signal: AbortSignal;
}

/**
 * Execution stopped on a budget (or a person's request) with its work kept:
 * the pipeline commits it as a work-in-progress checkpoint and the task is
 * `paused`. `summary` is what the agent is given when the task resumes.
 */
export interface PausedOutcome {
  kind: "paused";
  cause: PauseInfo["cause"];
  /** In words: "reached its budget of $2.00 (estimated)". */
  reason: string;
  summary: string;
  usage: Usage;
}

export const isPaused = (outcome: ExecuteOutcome | PausedOutcome): outcome is PausedOutcome => "kind" in outcome && outcome.kind === "paused";

export interface ExecuteOutcome {
  /** What changed and why, for the pull request body. */
  summary: string;
  tests: TestReport;
  usage: Usage;
}

export interface Planner {
  plan(request: PlanRequest): Promise<PlanOutcome>;
}

export interface Executor {
  /** A paused outcome only when the run stopped on a budget or a pause request; planning never pauses. */
  execute(request: ExecuteRequest): Promise<ExecuteOutcome | PausedOutcome>;
}

export interface Agent extends Planner, Executor {}

/**
 * An error the agent reports to the person in the thread (budget hit, model
 * unreachable, ...). `phase` and `hint` end up in the status comment.
 */
/** What the person hears when the provider refuses the API key (a task on its requester's own key says otherwise: src/tasks/own-key.ts). */
export const AUTH_HINT = "The operator must check the provider's API key (OPENAI_API_KEY or ANTHROPIC_API_KEY).";

export class AgentError extends Error {
  readonly hint: string;
  readonly usage: Usage | undefined;
  /** Command output the person should see with the failure (already cleaned, shortened and redacted). */
  readonly output: string | undefined;
  constructor(message: string, hint: string, usage?: Usage, output?: string) {
    super(message);
    this.name = "AgentError";
    this.hint = hint;
    this.usage = usage;
    this.output = output;
  }
}

/**
 * The port through which the agent records its change (the workspace
 * implements it, see workspace/changes.ts): only what the agent writes with
 * its tools, and what a `run` command it keeps changes, is ever committed.
 * Every other repository command (setup, the tests, `run` without `keep`)
 * goes through `command()`: what it creates stays for the next commands but
 * is never committed, and the files of the change it touches are put back.
 */
/** Who ran a command whose changes were not kept. */
export type CommandSource = "setup" | "tests" | "agent_command";

export interface CommandChanges<T> {
  result: T;
  /** Paths the command created, changed or deleted (relative to the working copy). */
  changed: string[];
  /** Of those, the ones now part of the change (`keep`). */
  kept: string[];
  /** Of those, files of the change (or of the base) put back as they were before the command. */
  undone: string[];
}

export interface ChangeRecord {
  /** The agent wrote these paths with its tools: they are part of the change as they are now. Returns those that can be (not ignored, not in a nested repository). */
  keep(paths: readonly string[]): Promise<string[]>;
  /** Runs a repository command and sorts out what it changed. */
  command<T>(source: CommandSource, keep: boolean, run: () => Promise<T>): Promise<CommandChanges<T>>;
}
