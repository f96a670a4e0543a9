/**
 * The access rule, the same on every face. The operator may do everything. A
 * user (a thread commenter, or a personal token) needs, in this order:
 *
 * 1. the repository in the token's list, when the token has one (else 404:
 *    the token cannot see it);
 * 2. the scope of the action (`read` or `write`; else 403);
 * 3. a role on the repository, from the GitHub gateway's role lookup: a write
 *    needs a writer role (WRITER_ROLES: admin, maintain, write), exactly as a
 *    comment in the thread does (else 403); a read needs any role that can see
 *    the repository (read, triage, or higher, custom roles included: they all
 *    build on read); "none" or no role is refused with 404, as GitHub does.
 *
 * The four-eyes rule of approvals is the approve use case's business, not this.
 */
import type { Principal } from "../domain/actor.ts";
import { WRITER_ROLES, type Role } from "../github/port.ts";

export type Action = "read" | "write";
export type Decision = { allowed: true } | { allowed: false; status: 403 | 404; message: string };

const ALLOWED: Decision = { allowed: true };

/** Whether the principal's token may use this `owner/name` at all (before scopes and roles); true for the operator. */
export function tokenCovers(principal: Principal, repository: string): boolean {
  return principal.kind === "operator" || principal.repositories === null || principal.repositories.includes(repository.toLowerCase());
}

/** The part of the rule that needs no role: the token's repositories and scopes. Null when only the role is left to check. */
function tokenDecision(principal: Principal & { kind: "user" }, action: Action, repository: string): Decision | null {
  if (!tokenCovers(principal, repository)) {
    const list = principal.repositories?.join(", ");
    return {
      allowed: false,
      status: 404,
      message: `${repository} is not available to this token of ${principal.login} (it is limited to ${list}); ask the operator for a token that includes it`,
    };
  }
  if (!principal.scopes.includes(action)) {
    return {
      allowed: false,
      status: 403,
      message: `this token of ${principal.login} has only the ${principal.scopes.join(", ")} scope; to ${action} it needs the ${action} scope: ask the operator for one (openjules tokens add --scope ${action})`,
    };
  }
  return null;
}

export function decide(principal: Principal, action: Action, repository: string, role: Role | null): Decision {
  if (principal.kind === "operator") return ALLOWED;
  const byToken = tokenDecision(principal, action, repository);
  if (byToken) return byToken;
  const who = principal.login;
  if (role === null || role === "" || role === "none") {
    return { allowed: false, status: 404, message: `${repository} was not found, or ${who} has no access to it on GitHub; a repository admin can add ${who} as a collaborator` };
  }
  if (action === "write" && !WRITER_ROLES.includes(role)) {
    return {
      allowed: false,
      status: 403,
      message: `${who} has the ${role} role on ${repository}; changing tasks needs write, maintain or admin (as a /jules comment does): a repository admin can grant it`,
    };
  }
  return ALLOWED;
}

/** `decide`, looking the role up only when the answer depends on it (never for the operator, nor when the token alone refuses). */
export async function authorize(principal: Principal, action: Action, repository: string, role: () => Promise<Role>): Promise<Decision> {
  if (principal.kind === "operator") return ALLOWED;
  return tokenDecision(principal, action, repository) ?? decide(principal, action, repository, await role());
}

/** The repositories of the list the principal may read (roles looked up by the caller; look up only those `tokenCovers`). */
export function visibleRepositories<R extends { repository: string; role: Role | null }>(principal: Principal, repos: readonly R[]): R[] {
  return repos.filter((r) => decide(principal, "read", r.repository, r.role).allowed);
}
