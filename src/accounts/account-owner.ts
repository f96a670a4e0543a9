/**
 * Whose account a request of the Settings page is about: the signed-in user
 * or the personal token's user, or an operator of JULES_OPERATORS signed in
 * (their own login). The operator token and the local CLI have no user, so
 * they have no tokens or keys of their own here. A change (a new token, a
 * saved key, a revocation) needs the write scope, as any other change does.
 */
import type { Caller, TokenScope } from "../domain/actor.ts";
import type { Result } from "../tasks/control/port.ts";
import { fail, ok } from "../tasks/control/result.ts";

export interface AccountOwner {
  login: string;
  /** The scopes the caller holds: both for a signed-in person and an operator; a personal token's own. */
  scopes: readonly TokenScope[];
  /** `owner/name` (lower case) the caller is limited to; null: every repository the app is installed on. */
  repositories: readonly string[] | null;
}

export function accountOwner(caller: Caller, action: "read" | "write", noUser: string): Result<AccountOwner> {
  const p = caller.principal;
  if (p.kind === "operator") {
    if (!p.login) return fail("invalid", "No user", noUser);
    return ok({ login: p.login, scopes: ["read", "write"], repositories: null });
  }
  if (!p.scopes.includes(action))
    return fail("forbidden", "Write scope needed", `This token of ${p.login} has only the ${p.scopes.join(", ")} scope; changing your account needs the write scope.`);
  return ok({ login: p.login, scopes: p.scopes, repositories: p.repositories });
}
