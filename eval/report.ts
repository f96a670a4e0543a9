/**
 * What an eval run reports: one row per attempt (task, model, agent, run:
 * solved, the task's last state, whether the repository's own tests passed
 * as OpenJules ran them, turns, tokens in and out, cost, wall time, its pull
 * request, and a note saying why it was not solved or was skipped),
 * and per model and agent the solve rate and the total and median cost and
 * time, over the attempts that ran. As a table for the terminal, or as JSON.
 */

export interface AttemptResult {
  task: string;
  language: string;
  model: string;
  agent: string;
  run: number;
  /** The task's last state; null when it never started (or was skipped). */
  state: string | null;
  solved: boolean;
  /** Model calls (planning and execution). */
  turns: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  wallMs: number;
  pullRequest: { number: number; draft: boolean } | null;
  /** The repository's own tests as OpenJules ran them before delivering (its "OpenJules tests" check run), null when none was reported. */
  ownTests: "passed" | "failed" | "not run" | null;
  /** Why it was not solved (the failure, a hidden test failing), or why it was skipped; null when solved. */
  note: string | null;
  /** True when it did not run (a tool its tests need is missing here). */
  skipped?: boolean;
}

export interface GroupSummary {
  model: string;
  agent: string;
  attempts: number;
  solved: number;
  skipped: number;
  /** solved / attempts that ran, 0..1 (0 when none ran). */
  solveRate: number;
  totalCostUsd: number;
  medianCostUsd: number;
  totalWallMs: number;
  medianWallMs: number;
  turns: number;
  tokensIn: number;
  tokensOut: number;
}

export interface EvalReport {
  format: "openjules-eval/1";
  startedAt: string;
  wallMs: number;
  models: string[];
  agents: string[];
  tasks: number;
  repeat: number;
  summary: GroupSummary[];
  attempts: AttemptResult[];
}

/** An attempt that has not run (yet): nothing solved, nothing spent. */
export function emptyResult(task: { name: string; language: string }, model: string, agent: string, run: number): AttemptResult {
  return {
    task: task.name,
    language: task.language,
    model,
    agent,
    run,
    state: null,
    solved: false,
    turns: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    wallMs: 0,
    pullRequest: null,
    ownTests: null,
    note: null,
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function summarize(attempts: AttemptResult[], models: string[], agents: string[]): GroupSummary[] {
  return models.flatMap((model) =>
    agents.map((agent) => {
      const all = attempts.filter((a) => a.model === model && a.agent === agent);
      const ran = all.filter((a) => !a.skipped);
      const solved = ran.filter((a) => a.solved).length;
      return {
        model,
        agent,
        attempts: ran.length,
        solved,
        skipped: all.length - ran.length,
        solveRate: ran.length === 0 ? 0 : solved / ran.length,
        totalCostUsd: round6(sum(ran.map((a) => a.costUsd))),
        medianCostUsd: round6(median(ran.map((a) => a.costUsd))),
        totalWallMs: sum(ran.map((a) => a.wallMs)),
        medianWallMs: median(ran.map((a) => a.wallMs)),
        turns: sum(ran.map((a) => a.turns)),
        tokensIn: sum(ran.map((a) => a.tokensIn)),
        tokensOut: sum(ran.map((a) => a.tokensOut)),
      };
    }),
  );
}

const usd = (n: number) => `$${n.toFixed(4)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const count = (n: number) => n.toLocaleString("en-US");

function table(header: string[], rows: string[][], right: Set<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

export function renderTable(report: EvalReport): string {
  const attempts = table(
    ["task", "model", "agent", "run", "solved", "own tests", "turns", "tokens in", "tokens out", "cost", "time", "note"],
    report.attempts.map((a) => [
      a.task,
      a.model,
      a.agent,
      String(a.run),
      a.skipped ? "skipped" : a.solved ? "yes" : "no",
      a.ownTests ?? "-",
      String(a.turns),
      count(a.tokensIn),
      count(a.tokensOut),
      usd(a.costUsd),
      seconds(a.wallMs),
      (a.note ?? "").replace(/\s+/g, " ").slice(0, 80),
    ]),
    new Set([3, 6, 7, 8, 9, 10]),
  );
  const summary = table(
    ["model", "agent", "solved", "solve rate", "total cost", "median cost", "total time", "median time", "skipped"],
    report.summary.map((g) => [
      g.model,
      g.agent,
      `${g.solved}/${g.attempts}`,
      percent(g.solveRate),
      usd(g.totalCostUsd),
      usd(g.medianCostUsd),
      seconds(g.totalWallMs),
      seconds(g.medianWallMs),
      String(g.skipped),
    ]),
    new Set([2, 3, 4, 5, 6, 7, 8]),
  );
  const runs = report.repeat > 1 ? `, ${report.repeat} runs each` : "";
  return [...attempts, "", `${report.tasks} task${report.tasks === 1 ? "" : "s"}${runs}; ${seconds(report.wallMs)} in all`, "", ...summary, ""].join("\n");
}
