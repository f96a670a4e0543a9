import { AgentError } from "../agent/port.ts";
import { SandboxQuotaError, SandboxSetupError, SandboxUnavailableError } from "../sandbox/index.ts";
import { WorkspaceError } from "../workspace/errors.ts";
import type { Failure } from "../domain/model.ts";

/**
 * Errors that a retry cannot fix and that the person in the thread must hear
 * about at once (a budget hit, a model that keeps failing, a missing branch, a
 * repository over the size limit, a push the remote refuses because the branch
 * moved, a sandbox the server cannot run): turned into the task's failure.
 * Anything else returns null and is retried by the queue.
 */
const PERMANENT_WORKSPACE: readonly string[] = ["invalid_input", "auth_failed", "repo_too_large", "branch_not_found", "push_refused", "push_rejected"];

export function userFacingFailure(error: unknown, phase: string): Failure | null {
  if (error instanceof AgentError) return { phase, reason: error.message, hint: error.hint, ...(error.output ? { output: error.output } : {}) };
  if (error instanceof WorkspaceError && PERMANENT_WORKSPACE.includes(error.code)) {
    const pushing = error.code === "push_refused" || error.code === "push_rejected";
    return { phase: pushing ? "pushing the branch" : "preparing the workspace", reason: error.message, hint: error.hint };
  }
  if (error instanceof SandboxUnavailableError) return { phase: "sandbox", reason: error.message, hint: error.hint };
  if (error instanceof SandboxQuotaError) return { phase: "sandbox", reason: error.message, hint: error.hint };
  if (error instanceof SandboxSetupError) {
    return { phase: "sandbox", reason: "The sandbox cannot run the repository's commands on this server.", hint: `The operator must fix the server: ${error.message}` };
  }
  return null;
}
