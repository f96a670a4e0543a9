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
