/**
 * Who asks for something, and through which face. Every write to a task is
 * recorded with both (the task's history: actor and face), and every face
 * (the thread, the HTTP API, the CLI, the MCP server, the web app) passes a
 * Caller to the same use cases, which apply the same permission rules.
 */

/** The ways into OpenJules. `thread` is a GitHub comment or label; `system` is OpenJules itself (jobs, reconcile). */
export const FACES = ["thread", "api", "cli", "mcp", "web", "system"] as const;
export type Face = (typeof FACES)[number];

export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * - `operator`: the operator token (JULES_API_TOKEN) or the local CLI: may do everything; recorded as actor `operator`.
 * - `user`: a GitHub user, from a comment (thread) or a personal token (JULES_API_TOKENS). Writes are checked like a
 *   comment from that user (their role on the repository, the four-eyes rule); `scopes` and `repositories` narrow a
 *   personal token further (a thread user has both scopes and every repository).
 */
export type Principal =
  /** `login`: a GitHub user of JULES_OPERATORS signed in to the web app (recorded under that login); absent for the operator token and the local CLI. */
  | { kind: "operator"; login?: string }
  | {
      kind: "user";
      login: string;
      scopes: readonly TokenScope[];
      /** `owner/name` (lower case) the token may use; null means every repository the app is installed on. */
      repositories: readonly string[] | null;
    };

export interface Caller {
  principal: Principal;
  face: Face;
}

/** The name written in the task's history for this principal. */
export function actorName(principal: Principal): string {
  return principal.kind === "operator" ? (principal.login ?? "operator") : principal.login;
}
