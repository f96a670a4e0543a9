/**
 * The read-only task API's logic, shared by the HTTP routes and the CLI:
 * strict parsing of list filters (unknown or repeated parameters, malformed
 * repositories, unknown states and out-of-range paging are refused with a
 * message saying what is accepted), the summary line of a task, and the full
 * view of one task (the task, its state history, links, and its transcript's
 * counts).
 */
import { TASK_STATES, type Task, type TaskEvent, type TaskState } from "../domain/model.ts";
import type { TaskFilter, TaskStore } from "../store/port.ts";
import { MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT } from "../store/validate.ts";
import { summarizeTranscript, type TranscriptSummary } from "./transcript-summary.ts";
import { issueUrl, planCommentUrl } from "../render/links.ts";

export type ParsedList = { ok: true; filter: TaskFilter & { limit: number; offset: number } } | { ok: false; error: string };

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const PARAMS = ["repo", "owner", "state", "limit", "offset"];
export const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Filters from query parameters (`repo=owner/name`, `owner`, `state`, `limit`, `offset`). */
export function parseListQuery(params: URLSearchParams): ParsedList {
  const fail = (error: string): ParsedList => ({ ok: false, error });
  for (const key of new Set(params.keys())) {
    if (!PARAMS.includes(key)) return fail(`unknown parameter "${key}"; the accepted ones are ${PARAMS.join(", ")}`);
    if (params.getAll(key).length > 1) return fail(`parameter "${key}" was given more than once`);
  }
  const filter: TaskFilter & { limit: number; offset: number } = { limit: DEFAULT_LIST_LIMIT, offset: 0 };
  const repo = params.get("repo");
  if (repo !== null) {
    const [owner, name, extra] = repo.split("/");
    if (extra !== undefined || !owner || !name || !OWNER.test(owner) || !NAME.test(name)) return fail(`repo must look like owner/name, got "${repo}"`);
    filter.owner = owner;
    filter.repo = name;
  }
  const owner = params.get("owner");
  if (owner !== null) {
    if (!OWNER.test(owner)) return fail(`owner must be a GitHub user or organisation name, got "${owner}"`);
    if (filter.owner !== undefined && filter.owner.toLowerCase() !== owner.toLowerCase()) return fail(`owner "${owner}" contradicts repo "${repo}"`);
    filter.owner = owner;
  }
  const state = params.get("state");
  if (state !== null) {
    if (!TASK_STATES.includes(state as TaskState)) return fail(`state must be one of ${TASK_STATES.join(", ")}, got "${state}"`);
    filter.state = state as TaskState;
  }
  const limit = integer(params.get("limit"), 1, MAX_LIST_LIMIT);
  if (limit === null) return fail(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  const offset = integer(params.get("offset"), 0, Number.MAX_SAFE_INTEGER);
  if (offset === null) return fail("offset must be a non-negative integer");
  if (limit !== undefined) filter.limit = limit;
  if (offset !== undefined) filter.offset = offset;
  return { ok: true, filter };
}

/** undefined when absent, null when malformed or out of range. */
function integer(raw: string | null, min: number, max: number): number | undefined | null {
  if (raw === null) return undefined;
  if (!/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

export interface TaskSummary {
  id: string;
  repository: string;
  /** null for a task created without an issue (API, CLI, MCP, web). */
  issueNumber: number | null;
  kind: Task["kind"];
  state: TaskState;
  title: string;
  requestedBy: string;
  pullRequestUrl: string | null;
  failure: string | null;
  costUsd: number | null;
  createdAt: string;
  updatedAt: string;
}

export function summarizeTask(task: Task): TaskSummary {
  return {
    id: task.id,
    repository: `${task.owner}/${task.repo}`,
    issueNumber: task.issueNumber,
    kind: task.kind,
    state: task.state,
    title: task.issueTitle,
    requestedBy: task.requestedBy,
    pullRequestUrl: task.pullRequestUrl,
    failure: task.failure ? `${task.failure.phase}: ${task.failure.reason}` : null,
    costUsd: task.usage?.costUsd ?? null,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

export interface TaskPage {
  tasks: TaskSummary[];
  limit: number;
  offset: number;
  /** Offset of the next page, null on the last one. */
  nextOffset: number | null;
}

export async function listTasks(store: Pick<TaskStore, "list">, filter: TaskFilter & { limit: number; offset: number }): Promise<TaskPage> {
  const tasks = await store.list(filter);
  return { tasks: tasks.map(summarizeTask), limit: filter.limit, offset: filter.offset, nextOffset: tasks.length === filter.limit ? filter.offset + filter.limit : null };
}

export interface TaskDetail {
  task: Task;
  history: TaskEvent[];
  links: { issue: string | null; plan: string | null; pullRequest: string | null };
  transcript: TranscriptSummary | null;
}

/** Everything known about one task, or null when there is no such task. */
export async function taskDetail(store: Pick<TaskStore, "get" | "history">, dataDir: string, id: string, webBase = "https://github.com"): Promise<TaskDetail | null> {
  const task = await store.get(id);
  if (!task) return null;
  const [history, transcript] = await Promise.all([store.history(id), summarizeTranscript(dataDir, id)]);
  const inIssue = task.issueNumber !== null;
  return {
    task,
    history,
    links: { issue: inIssue ? issueUrl(webBase, task) : null, plan: inIssue ? planCommentUrl(webBase, task) : null, pullRequest: task.pullRequestUrl },
    transcript,
  };
}
