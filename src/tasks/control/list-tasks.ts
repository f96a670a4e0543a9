import { decide, tokenCovers } from "../../access/decide.ts";
import type { Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import type { InstalledRepository } from "../../github/port.ts";
import type { TaskFilter } from "../../store/port.ts";
import type { ControlDeps } from "./deps.ts";
import type { ListQuery, Result, TaskPage, TaskSummary } from "./port.ts";
import { fail, ok } from "./result.ts";

/**
 * Tasks, newest first, a page at a time. The operator sees every task; a
 * user sees the tasks of the repositories they may read (their token's list,
 * else every repository the app is installed on, each checked against their
 * role on GitHub), so a page is never filtered after it was cut.
 */
export async function listTasks(deps: ControlDeps, caller: Caller, query: ListQuery): Promise<Result<TaskPage>> {
  const filter: TaskFilter = { limit: query.limit + 1, offset: query.offset };
  if (query.state) filter.state = query.state;
  if (query.owner) filter.owner = query.owner;
  if (query.repository) {
    const [owner, repo] = query.repository.split("/");
    if (!owner || !repo) return fail("invalid", "Invalid repository", `"${query.repository}" is not owner/name.`);
    filter.repositories = [query.repository];
  }
  if (caller.principal.kind === "user") {
    const candidates = (await deps.installations.list()).filter((r) => !query.repository || r.fullName.toLowerCase() === query.repository.toLowerCase());
    const visible = (await readableRepositories(deps, caller, candidates)).map((r) => r.fullName.toLowerCase());
    filter.repositories = visible;
    if (visible.length === 0) return ok(page([], query));
  }
  return ok(page(await deps.store.list(filter), query));
}

/** The repositories of the list the caller may read (roles asked only for those the token covers). */
export async function readableRepositories(deps: ControlDeps, caller: Caller, repos: readonly InstalledRepository[]): Promise<InstalledRepository[]> {
  const readable: InstalledRepository[] = [];
  for (const r of repos) if (tokenCovers(caller.principal, r.fullName) && (await mayRead(deps, caller, r))) readable.push(r);
  return readable;
}

async function mayRead(deps: ControlDeps, caller: Caller, r: InstalledRepository): Promise<boolean> {
  if (caller.principal.kind === "operator") return true;
  const gh = await deps.github.forInstallation(r.installationId);
  return decide(caller.principal, "read", r.fullName, await gh.role(r, caller.principal.login)).allowed;
}

function page(tasks: Task[], query: ListQuery): TaskPage {
  const more = tasks.length > query.limit;
  return { tasks: tasks.slice(0, query.limit).map(summary), limit: query.limit, offset: query.offset, nextOffset: more ? query.offset + query.limit : null };
}

export function summary(task: Task): TaskSummary {
  const title = task.instruction.split("\n")[0]?.trim() || task.issueTitle;
  return {
    id: task.id,
    repository: `${task.owner}/${task.repo}`,
    issueNumber: task.issueNumber,
    kind: task.kind,
    state: task.state,
    title: title.slice(0, 200),
    requestedBy: task.requestedBy,
    face: task.face,
    pullRequestUrl: task.pullRequestUrl,
    failure: task.failure?.reason ?? null,
    costUsd: task.usage?.costUsd ?? null,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
