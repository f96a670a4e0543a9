/**
 * Plain-text rendering of the CLI's results for a person at a terminal (the
 * `--json` form prints the results as they are). Pure functions. Task text
 * comes from issues and repositories, so control characters are neutralised
 * before anything reaches the terminal.
 */
import type { TaskSummary, TaskView } from "../../tasks/control/port.ts";
import type { TranscriptSummary } from "../transcript-summary.ts";
import type { MigrationReport } from "./backends.ts";

/** Replaces control characters other than newline and tab (escape sequences could drive the terminal). */
export const terminalSafe = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd");

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const pad = (text: string, width: number) => text.padEnd(width);
/** `owner/name#12`, or `owner/name` for a task created without an issue. */
export const where = (repository: string, issue: number | null) => (issue === null ? repository : `${repository}#${issue}`);

/** A page of tasks from this machine's store or from a server. */
interface PageLike {
  tasks: Pick<TaskSummary, "id" | "state" | "repository" | "issueNumber" | "updatedAt" | "title">[];
  offset: number;
  nextOffset: number | null;
}

export function formatTaskPage(page: PageLike): string {
  if (page.tasks.length === 0) return page.offset > 0 ? "No more tasks." : "No tasks match.";
  const rows = page.tasks.map((t) => [t.id, t.state, where(t.repository, t.issueNumber), t.updatedAt.slice(0, 16).replace("T", " "), cut(t.title, 50)]);
  const head = ["ID", "STATE", "WHERE", "UPDATED (UTC)", "TITLE"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join("  ");
  const more = page.nextOffset !== null ? `\nMore: --offset ${page.nextOffset}` : "";
  return terminalSafe([line(head), ...rows.map(line)].join("\n") + more);
}

/** A task's view; the transcript's counts only on the machine that has the transcript. */
export function formatTaskDetail(detail: Omit<TaskView, "permissions"> & { transcript?: TranscriptSummary | null }): string {
  const { task, history, links, transcript } = detail;
  const out: string[] = [`Task ${task.id} (${task.kind === "follow_up" ? "follow-up" : task.kind === "ask" ? "question" : "issue"})`];
  const field = (name: string, value: string | null | undefined) => {
    if (value) out.push(`  ${pad(name, 13)}${value}`);
  };
  field("where", `${where(`${task.owner}/${task.repo}`, task.issueNumber)}${links.issue ? `  ${links.issue}` : ""}`);
  field("title", task.issueTitle);
  field("state", task.state);
  field("requested", `by ${task.requestedBy} at ${task.createdAt}`);
  field("instruction", task.instruction || "(the issue itself)");
  field("base branch", task.baseBranch ?? "(repository default)");
  if (task.plan) {
    field("plan", `v${task.planVersion}: ${task.plan.summary}${links.plan ? `  ${links.plan}` : ""}`);
    task.plan.steps.forEach((step, i) => out.push(`  ${pad("", 13)}${i + 1}. ${step.title}${step.files.length ? ` (${step.files.join(", ")})` : ""}`));
  }
  field("approved by", task.approvalKind === "auto" ? "automatically (approval: auto)" : task.approvedBy);
  field("answer", task.answer ? cut(task.answer, 200) : null);
  field("branch", task.branch);
  field("pull request", links.pullRequest);
  if (task.failure) field("failure", `${task.failure.phase}: ${task.failure.reason}\n  ${pad("", 13)}next: ${task.failure.hint}`);
  const u = task.usage;
  if (u) field("usage", `${u.calls} model calls, ${u.inputTokens} in / ${u.outputTokens} out tokens, $${u.costUsd.toFixed(4)}, ${(u.wallMs / 1000).toFixed(0)} s`);
  if (transcript) {
    const tools = Object.entries(transcript.tools)
      .sort((a, b) => b[1] - a[1])
      .map(([n, c]) => `${n} ${c}`)
      .join(", ");
    field("transcript", `${transcript.modelCalls} model calls, ${transcript.toolCalls} tool calls${tools ? ` (${tools})` : ""}; read it with: openjules tasks logs ${task.id}`);
  }
  out.push("History");
  for (const e of history) out.push(`  ${e.at}  ${e.from ?? "(new)"} -> ${e.to}  by ${e.actor}${e.reason ? `: ${e.reason}` : ""}`);
  return terminalSafe(out.join("\n"));
}

export function formatMigrations(reports: MigrationReport[]): string {
  return reports
    .map((r) => `${pad(`${r.component} (${r.backend})`, 18)}schema version ${r.version}${r.applied.length ? ` (applied ${r.applied.join(", ")})` : " (up to date)"}`)
    .join("\n");
}
