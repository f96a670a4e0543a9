/**
 * Why a path is not in the commit: a nested repository or a submodule (never
 * committed), made by a command whose changes were not kept (setup, the test
 * run, the agent's own `run` without `keep`), written by the agent but ignored
 * by the repository's .gitignore, or changed outside anything the task records.
 */
export type LeftOutReason = "nested_repository" | "submodule" | "setup" | "tests" | "agent_command" | "ignored" | "unrecorded";

export interface LeftOutPath {
  /** Relative to the worktree root; a nested repository's or untracked directory's path ends with `/`. */
  path: string;
  reason: LeftOutReason;
  /** A file of the commit's base (or of the agent's own edit) the command changed, put back as it was. */
  undone?: boolean;
}
