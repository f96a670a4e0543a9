/** The test runs: each command, its outcome, the failing part of the output, and the whole output on demand. */
import type { TestOutcome, TestRun } from "../activity.ts";
import { exitWords, OutputBlock } from "./activity-log.tsx";

const OUTCOME: Record<TestOutcome, { words: string; style: string }> = {
  running: { words: "Running", style: "bg-blue-100 text-blue-900" },
  passed: { words: "Passed", style: "bg-green-100 text-green-900" },
  failed: { words: "Failed", style: "bg-red-100 text-red-900" },
  stopped: { words: "Stopped", style: "bg-amber-100 text-amber-900" },
};

export function TestResults({ runs }: { runs: TestRun[] }) {
  if (runs.length === 0) return <p className="text-slate-700">No tests have run yet.</p>;
  return (
    <ol className="space-y-4" aria-label="Test runs">
      {runs.map((run) => {
        const outcome = OUTCOME[run.outcome];
        return (
          <li key={run.key}>
            <p>
              <span className={`mr-2 rounded px-2 py-0.5 text-xs font-semibold ${outcome.style}`}>{outcome.words}</span>
              <code className="font-mono break-all">$ {run.command}</code>{" "}
              <span className="text-sm text-slate-700">({exitWords({ running: run.outcome === "running", exitCode: run.exitCode, durationMs: run.durationMs })})</span>
            </p>
            {run.outcome !== "passed" && run.outcome !== "running" && run.summary !== "" && (
              <pre className="mt-1 max-h-80 overflow-auto rounded border border-red-200 bg-red-50 p-2 font-mono text-xs text-red-950">{run.summary}</pre>
            )}
            {run.output !== "" && <OutputBlock text={run.output} label="Full output" />}
          </li>
        );
      })}
    </ol>
  );
}
