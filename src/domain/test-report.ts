/** What the test phase found, as the pull request, the check run and the status tell it. */
export interface TestReport {
  command: string | null;
  passed: boolean | null;
  /** Trimmed output, safe to show. */
  summary: string;
  /** Set when the tests could not run for a reason of the environment (a missing tool), never of the code: `passed` is null. */
  environment?: { problem: string; hint: string };
  /** The Node the commands ran on and why, when the repository declares one: "Node 22.11.0 (from .nvmrc: 22; installed into the task's HOME)". */
  toolchain?: string;
}
