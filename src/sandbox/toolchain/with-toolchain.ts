import type { TestReport } from "../../domain/test-report.ts";
import type { ToolchainReport } from "./ensure.ts";

/**
 * Pure: the report names the Node the tests ran on; tests that failed while
 * a toolchain did not meet its declaration are an environment problem (the
 * failure may be that, not the code), so no model is asked to fix code for it.
 */
export function withToolchain(report: TestReport, toolchain: ToolchainReport | undefined): TestReport {
  if (!toolchain) return report;
  const named = toolchain.node ? { ...report, toolchain: toolchain.node } : report;
  if (named.passed !== false || toolchain.mismatches.length === 0) return named;
  const status = /^failed \(([^)]*)\)/.exec(named.summary)?.[1] ?? "they failed";
  return {
    ...named,
    passed: null,
    summary: named.summary.replace(/^failed /, "failed, with a toolchain that does not meet the repository's declaration "),
    environment: {
      problem: `${toolchain.mismatches.map((m) => m.problem).join(" ")} The tests failed (${status}), which may be why.`,
      hint: toolchain.mismatches.map((m) => m.hint).join(" "),
    },
  };
}
