/**
 * `openjules tasks logs <id>`: the task's transcript (every model call and
 * tool call, already redacted when it was written), as JSON lines for
 * scripts or as readable text (control characters from repository output
 * neutralised), one entry after another without loading the whole file.
 */
import type { TaskStore } from "../../store/port.ts";
import { transcriptLines } from "../transcript-summary.ts";
import { CliError } from "./task-commands.ts";
import { TASK_ID } from "../task-api.ts";
import { terminalSafe } from "./format.ts";

export async function* logsCommand(deps: { store: Pick<TaskStore, "get">; dataDir: string }, id: string, json: boolean): AsyncGenerator<string> {
  if (!TASK_ID.test(id)) throw new CliError(`"${id}" is not a task id; find ids with: openjules tasks list`);
  if (!(await deps.store.get(id))) throw new CliError(`No task with id ${id}; find ids with: openjules tasks list`);
  let any = false;
  for await (const entry of transcriptLines(deps.dataDir, id)) {
    any = true;
    yield json ? JSON.stringify(entry) : terminalSafe(formatEntry(entry));
  }
  if (!any) throw new CliError(`Task ${id} has no transcript: the agent never ran for it (see: openjules tasks show ${id}).`);
}

const s = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));

export function formatEntry(entry: Record<string, unknown> | null): string {
  if (!entry) return "(unreadable line)";
  const at = typeof entry.at === "string" ? `${entry.at.slice(11, 19)} ` : "";
  switch (entry.type) {
    case "start":
      return `${at}== ${s(entry.phase)} with ${s(entry.provider)} ${s(entry.model)}; tools: ${Array.isArray(entry.tools) ? entry.tools.join(", ") : ""}`;
    case "user":
      return `${at}user:\n${indent(s(entry.content))}`;
    case "model": {
      const usage = (entry.usage ?? {}) as { inputTokens?: number; outputTokens?: number };
      const calls = Array.isArray(entry.toolCalls) ? (entry.toolCalls as { name?: string; arguments?: string }[]) : [];
      const head = `${at}model turn ${s(entry.turn)} (${s(entry.ms)} ms, ${usage.inputTokens ?? 0} in / ${usage.outputTokens ?? 0} out, ${s(entry.stopReason)})`;
      const text = s(entry.text).trim() ? `\n${indent(s(entry.text))}` : "";
      return `${head}${text}${calls.map((c) => `\n  -> ${s(c.name)} ${s(c.arguments)}`).join("")}`;
    }
    case "tool":
      return `${at}tool ${s(entry.name)} (${s(entry.ms)} ms)${entry.isError === true ? " ERROR" : ""}:\n${indent(s(entry.result))}`;
    case "trim":
      return `${at}[trimmed ${s(entry.elided)} old tool results: ${s(entry.reason)}]`;
    case "command":
      return `${at}${s(entry.purpose)} command \`${s(entry.command)}\`: ${entry.timedOut === true ? "timed out" : `exit code ${s(entry.exitCode) || "none"}`}\n${indent(s(entry.output))}`;
    case "note":
      return `${at}note: ${s(entry.text)}`;
    case "end":
      return `${at}== ${s(entry.phase)} ended: ${s(entry.outcome)}`;
    default:
      return `${at}${JSON.stringify(entry)}`;
  }
}

const indent = (text: string) => text.replace(/^/gm, "    ");
