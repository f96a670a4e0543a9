import { authorize, type Action } from "../../access/decide.ts";
import type { Caller } from "../../domain/actor.ts";
import type { Role } from "../../github/port.ts";
import type { Task } from "../../domain/model.ts";
import type { ControlDeps } from "./deps.ts";
import { fail, noSuchTask, ok } from "./result.ts";
import type { Result, UseCaseError } from "./port.ts";

/**
 * The one permission check of every use case (src/access decide.ts): the
 * operator may do everything; a user (a thread commenter or a personal
 * token) needs the token's repository and scope, and their role on the
 * repository as GitHub tells it for the installation (a write needs admin,
 * maintain or write, exactly as a comment in the thread does).
 */
export async function allow(
  deps: Pick<ControlDeps, "github">,
  caller: Caller,
  action: Action,
  where: { installationId: number; owner: string; repo: string },
): Promise<Result<true>> {
  return allowWithRole(caller, action, where, roleLookup(deps, caller, where));
}

/** The caller's role on the repository, looked up through the installation once however often it is asked. */
export function roleLookup(deps: Pick<ControlDeps, "github">, caller: Caller, where: { installationId: number; owner: string; repo: string }): () => Promise<Role> {
  let role: Promise<Role> | null = null;
  return () =>
    (role ??= (async () => {
      const gh = await deps.github.forInstallation(where.installationId);
      return gh.role(where, caller.principal.kind === "user" ? caller.principal.login : "");
    })());
}

/** `allow` with the role looked up by `role` (roleLookup), so several decisions about one repository share one lookup. */
export async function allowWithRole(caller: Caller, action: Action, where: { owner: string; repo: string }, role: () => Promise<Role>): Promise<Result<true>> {
  const decision = await authorize(caller.principal, action, `${where.owner}/${where.repo}`, role);
  if (decision.allowed) return ok(true);
  return decision.status === 404 ? fail("not_found", "Repository not found", decision.message) : fail("forbidden", NOT_ALLOWED, decision.message);
}

const NOT_ALLOWED = "Not allowed";

/**
 * Whether a use case refused the caller itself (no access, no write role or
 * scope), as opposed to the task's state or a missing issue: a repository or
 * task the caller may not see is not found (allow, taskFor).
 */
export function refusedCaller(error: UseCaseError): boolean {
  if (error.code === "not_found") return error.title === "Repository not found" || error.title === "Task not found";
  return error.code === "forbidden" && error.title === NOT_ALLOWED;
}

/** The task, when it exists and the caller may `action` it (a task the caller cannot read is not found, as on GitHub). */
export async function taskFor(deps: Pick<ControlDeps, "store" | "github">, caller: Caller, id: string, action: Action): Promise<Result<Task>> {
  const task = await deps.store.get(id);
  if (!task) return noSuchTask(id);
  const allowed = await allow(deps, caller, action, task);
  if (!allowed.ok) return allowed.error.code === "not_found" ? noSuchTask(id) : allowed;
  return ok(task);
}
