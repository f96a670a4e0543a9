/**
 * What `openjules tasks list|show` do on this machine's store, returning data
 * the program prints as text or JSON (cancel, retry and the other writes go
 * through the control plane: control-commands.ts). Operator mistakes
 * (unknown id, bad filter) throw CliError with a message saying what to do
 * instead.
 */
import type { TaskStore } from "../../store/port.ts";
import type { TaskPage as ControlTaskPage } from "../../tasks/control/port.ts";
import { unwrap, type TaskClient } from "./client.ts";
import { listTasks, parseListQuery, TASK_ID, taskDetail, type TaskDetail, type TaskPage } from "../task-api.ts";

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export interface TaskCommandDeps {
  store: TaskStore;
  dataDir: string;
  webBase?: string;
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

function checkId(id: string): void {
  if (!TASK_ID.test(id)) throw new CliError(`"${id}" is not a task id (1 to 64 letters, digits, '-' or '_'); find ids with: openjules tasks list`);
}

const notFound = (id: string) => new CliError(`No task with id ${id}; find ids with: openjules tasks list`);
