import type { TestReport } from "../domain/test-report.ts";
import type { RepoConfig } from "../config/repo-config.ts";
import { code } from "../render/escape.ts";

/**
 * 5. What failing tests mean for delivery, per `on_test_failure`: `abort`
 * pushes nothing; `branch_only` pushes the branch without a pull request;
 * `draft_pr` (the default) opens the pull request as a draft marked as
 * failing. Passing tests, no test command at all, or tests that could not run
 * for a reason of the environment (a missing tool: `passed` is null, the
 * code is not known to be wrong) open the pull request as `draft` says. Pure.
 */

export type TestDecision = { kind: "abort"; reason: string } | { kind: "branch_only" } | { kind: "pull_request"; draft: boolean };

export function decideOnTests(tests: TestReport, config: Pick<RepoConfig, "on_test_failure" | "draft">): TestDecision {
  if (tests.passed !== false) return { kind: "pull_request", draft: config.draft };
  switch (config.on_test_failure) {
    case "abort": {
      const which = tests.command ? `The tests (${code(tests.command)}) failed` : "The tests failed";
      return { kind: "abort", reason: `${which} and \`on_test_failure: abort\` is set, so nothing was pushed.` };
    }
    case "branch_only":
      return { kind: "branch_only" };
    case "draft_pr":
      return { kind: "pull_request", draft: true };
  }
}
