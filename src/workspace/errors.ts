import { GitError } from "./git.ts";

/**
 * The one error type the workspace layer lets out. `code` lets callers branch
 * (e.g. render "repository too large" differently from "clone failed"), and
 * `hint` says what the person in the thread can do next. Messages never carry
 * tokens: everything that reaches a WorkspaceError has been redacted first.
 */

export type WorkspaceErrorCode =
  | "invalid_input"
  | "auth_failed"
  | "fetch_failed"
  | "repo_too_large"
  | "branch_not_found"
  | "lock_timeout"
  | "push_refused"
  /** The remote refused a push that is not a fast-forward: someone else pushed to the branch. */
  | "push_rejected"
  | "push_failed"
  | "git_failed";

export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;
  readonly hint: string;
  constructor(code: WorkspaceErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkspaceError";
    this.code = code;
    this.hint = hint;
  }
}

/** A fetch or `ls-remote` that failed: an authentication failure says which permission the app needs. */
export function fetchFailed(what: string, error: unknown): WorkspaceError {
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  return error instanceof GitError && error.authFailed
    ? new WorkspaceError("auth_failed", message, "Check that the app is installed on this repository with read access to contents.")
    : new WorkspaceError("fetch_failed", message, "This is usually temporary; try again. If it persists, check that the repository is reachable from the OpenJules host.");
}

export function branchNotFound(branch: string, ref: { owner: string; repo: string }): WorkspaceError {
  return new WorkspaceError(
    "branch_not_found",
    `Branch ${branch} does not exist in ${ref.owner}/${ref.repo}`,
    "Name an existing branch, or leave it out to use the default branch.",
  );
}
