/** What the test phase found, as the pull request, the check run and the status tell it. */
export interface TestReport {
  command: string | null;
  passed: boolean | null;
  /** Trimmed output, safe to show. */
  summary: string;
  /** Set when the tests could not run for a reason of the environment (a missing tool), never of the code: `passed` is null. */
  environment?: { problem: string; hint: string };
}
