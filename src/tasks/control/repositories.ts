import type { Caller } from "../../domain/actor.ts";
import type { InstalledRepository } from "../../github/port.ts";
import { allow } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import { readableRepositories } from "./list-tasks.ts";
import type { Repository, Result } from "./port.ts";
import { fail, ok } from "./result.ts";

/** Repositories the app is installed on that the caller may read. */
export async function listRepositories(deps: ControlDeps, caller: Caller): Promise<Result<Repository[]>> {
  const readable = await readableRepositories(deps, caller, await deps.installations.list());
  return ok(readable.map((r) => ({ fullName: r.fullName, defaultBranch: r.defaultBranch, private: r.private })));
}

export const MAX_BRANCHES = 1000;

/** The branch names of a repository the caller may read. */
export async function listBranches(deps: ControlDeps, caller: Caller, repository: string): Promise<Result<string[]>> {
  const installed = await readableRepository(deps, caller, repository);
  if (!installed.ok) return installed;
  const gh = await deps.github.forInstallation(installed.value.installationId);
  return ok(await gh.branches(installed.value, MAX_BRANCHES));
}

/** A repository (`owner/name`) the app is installed on and the caller may read. */
export async function readableRepository(deps: ControlDeps, caller: Caller, repository: string): Promise<Result<InstalledRepository>> {
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) return fail("invalid", "Invalid repository", `"${repository}" is not owner/name.`);
  const installed = await deps.installations.find({ owner, repo });
  if (!installed) return notInstalled(repository);
  const allowed = await allow(deps, caller, "read", installed);
  return allowed.ok ? ok(installed) : allowed;
}

export const notInstalled = <T>(repository: string): Result<T> =>
  fail("not_found", "Repository not found", `OpenJules is not installed on ${repository} (or it does not exist); an admin of the repository can install the GitHub App on it.`);
