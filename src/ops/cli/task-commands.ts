/**
 * What `openjules tasks list|show|cancel|retry` do, as functions of the store,
 * the queue and (optionally) the status publisher, returning data the
 * program prints as text or JSON. Operator mistakes (unknown id, wrong state,
 * bad filter) throw CliError with a message saying what to do instead.
 *
 * - cancel: the task moves to `cancelled` (actor "cli") through the store's
 *   conditional transition; a worker running it notices within seconds
 *   (it watches the task's state) and stops, nothing is pushed afterwards,
 *   and the status comment is edited to say the operator cancelled it.
 * - retry: a failed or cancelled task is never revived (final states are
 *   final); a NEW task is created with the same request (issue, instruction,
 *   base branch, requester) and starts from planning, so the requester sees a
 *   fresh plan to approve. A follow-up on a pull request is retried with its
 *   feedback as the already-approved plan, as the original was.
 */
import type { JobQueue } from "../../queue/port.ts";
import type { TaskStore } from "../../store/port.ts";
import type { Task } from "../../domain/model.ts";
import { ACTIVE } from "../../domain/state-machine.ts";
import { enqueueTaskJob } from "../../tasks/task-jobs.ts";
import type { TaskPage as ControlTaskPage } from "../../tasks/control/port.ts";
import { unwrap, type TaskClient } from "./client.ts";
import { listTasks, parseListQuery, TASK_ID, taskDetail, type TaskDetail, type TaskPage } from "../task-api.ts";

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** The status publisher's two operations (src/github/status-publisher.ts), when GitHub is reachable. */
export interface StatusNotifier {
  create(task: Task): Promise<Task>;
  refresh(task: Task, notice?: string): Promise<void>;
}

export interface TaskCommandDeps {
  store: TaskStore;
  queue: Pick<JobQueue, "enqueue">;
  dataDir: string;
  webBase?: string;
  status?: StatusNotifier | null;
}

export interface ListOptions {
  repo?: string;
  owner?: string;
  state?: string;
  limit?: string;
  offset?: string;
}

function listFilter(options: ListOptions) {
  const params = new URLSearchParams();
  for (const key of ["repo", "owner", "state", "limit", "offset"] as const) {
    const value = options[key];
    if (value !== undefined) params.set(key, value);
  }
  const parsed = parseListQuery(params);
  if (!parsed.ok) throw new CliError(parsed.error.replace(/^(repo|owner|state|limit|offset)\b/, "--$1"));
  return parsed.filter;
}

export async function listCommand(deps: Pick<TaskCommandDeps, "store">, options: ListOptions): Promise<TaskPage> {
  return listTasks(deps.store, listFilter(options));
}

/** `tasks list --server`: the same options, checked the same way, asked of the client. */
export async function remoteList(client: TaskClient, options: ListOptions): Promise<ControlTaskPage> {
  const { owner, repo, state, limit, offset } = listFilter(options);
  const where = repo !== undefined ? { repository: `${owner}/${repo}` } : owner !== undefined ? { owner } : {};
  return unwrap(client.list({ limit, offset, ...where, ...(state && { state }) }));
}

export async function showCommand(deps: TaskCommandDeps, id: string): Promise<TaskDetail> {
  checkId(id);
  const detail = await taskDetail(deps.store, deps.dataDir, id, deps.webBase);
  if (!detail) throw notFound(id);
  return detail;
}

export interface CancelResult {
  task: Task;
  /** Whether the status comment was asked to show the cancellation (false without GitHub credentials). */
  notified: boolean;
}

export async function cancelCommand(deps: TaskCommandDeps, id: string, reason = ""): Promise<CancelResult> {
  const task = await existing(deps, id);
  if (!ACTIVE.includes(task.state)) throw new CliError(`Task ${id} is already ${task.state}; there is nothing to cancel.`);
  const note = reason.trim();
  const cancelled = await deps.store.transition(id, {
    from: ACTIVE,
    to: "cancelled",
    actor: "cli",
    reason: note || "cancelled by the operator",
    patch: {
      failure: {
        phase: task.state,
        reason: `Cancelled by the operator of this OpenJules installation${note ? `: ${note}` : "."}`,
        hint: "Start a new task with a new command or label when you are ready.",
      },
    },
  });
  if (!cancelled) {
    const now = await existing(deps, id);
    throw new CliError(`Task ${id} ended as ${now.state} before it could be cancelled.`);
  }
  if (deps.status) await deps.status.refresh(cancelled);
  return { task: cancelled, notified: Boolean(deps.status) };
}

export interface RetryResult {
  task: Task;
  retryOf: string;
  /** "posted": the new status comment is in the thread; "deferred": the worker posts it when it takes the task. */
  statusComment: "posted" | "deferred";
}

export async function retryCommand(deps: TaskCommandDeps, id: string): Promise<RetryResult> {
  const old = await existing(deps, id);
  if (old.state === "done") throw new CliError(`Task ${id} is done; there is nothing to retry. Start new work with a command on the issue.`);
  if (old.state !== "failed" && old.state !== "cancelled") {
    throw new CliError(`Task ${id} is still ${old.state}; only failed or cancelled tasks can be retried (cancel it first with: openjules tasks cancel ${id}).`);
  }
  const approvedHash = old.kind === "follow_up" ? (old.approvedPlanHash ?? old.planHash) : null;
  if (old.kind === "follow_up" && (!old.plan || !approvedHash))
    throw new CliError(`Follow-up task ${id} has no recorded plan, so it cannot be retried; comment on the pull request again.`);
  const { installationId, owner, repo, issueNumber, kind, cloneUrl, instruction, issueTitle, requestedBy, baseBranch, command } = old;
  const created = await deps.store.create(
    { installationId, owner, repo, issueNumber, kind, cloneUrl, instruction, issueTitle, requestedBy, baseBranch, command, triggerCommentId: null },
    "cli",
    `retry of task ${old.id}`,
  );
  if (!created.created) {
    if (!("active" in created)) throw new CliError(`Task ${id} could not be retried: the store answered as for a repeated request.`);
    throw new CliError(`${owner}/${repo}#${issueNumber} already has an active task, ${created.active.id} (${created.active.state}); retry it after that one ends.`);
  }
  let task = created.task;
  if (approvedHash) {
    const approved = await deps.store.transition(task.id, {
      from: "queued",
      to: "approved",
      actor: "cli",
      reason: `retry of follow-up ${old.id}`,
      patch: {
        plan: old.plan,
        planHash: approvedHash,
        planContext: old.planContext,
        approvedBy: old.approvedBy,
        approvalKind: old.approvalKind,
        approvedPlanHash: approvedHash,
        branch: old.branch,
        pullRequestNumber: old.pullRequestNumber,
        pullRequestUrl: old.pullRequestUrl,
      },
    });
    if (!approved) throw new CliError(`The new task ${task.id} changed state before it could be approved; check it with: openjules tasks show ${task.id}.`);
    task = approved;
  }
  // The status comment goes first (as when a person starts a task): a worker that took the job first would post its own.
  let statusComment: RetryResult["statusComment"] = "deferred";
  if (deps.status) {
    try {
      task = await deps.status.create(task);
      statusComment = "posted";
    } catch {
      statusComment = "deferred";
    }
  }
  await enqueueTaskJob(deps.queue, task, approvedHash ? { execute: approvedHash } : "plan");
  return { task, retryOf: old.id, statusComment };
}

function checkId(id: string): void {
  if (!TASK_ID.test(id)) throw new CliError(`"${id}" is not a task id (1 to 64 letters, digits, '-' or '_'); find ids with: openjules tasks list`);
}

const notFound = (id: string) => new CliError(`No task with id ${id}; find ids with: openjules tasks list`);

async function existing(deps: Pick<TaskCommandDeps, "store">, id: string): Promise<Task> {
  checkId(id);
  const task = await deps.store.get(id);
  if (!task) throw notFound(id);
  return task;
}
