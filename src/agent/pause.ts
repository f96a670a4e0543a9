import type { PauseInfo } from "../domain/model.ts";
import { redactSecrets } from "../security/redact.ts";
import { sanitizeUntrusted } from "../security/sanitize.ts";
import type { ResumePoint } from "./port.ts";
import type { ChatMessage } from "./providers/provider.ts";

/**
 * Pausing an execution instead of failing it. The loop throws `LoopPaused`
 * when it reaches a budget, is about to go over the cost budget, or a person
 * asked for a pause; the agent turns it into a paused outcome with
 * `conversationSummary`, which the agent is given when the task resumes.
 *
 * The summary is built from the conversation itself, without a model call
 * (a model call is what the budget just ran out of), and covers the whole
 * execution, one section per run, oldest first: a run resumed from a pause
 * carries the summary it was given forward and adds its own section
 * (`## Run <n>, resumed from the WIP commit <sha> on <branch>`): how many
 * turns, why it stopped, the files it changed (its tools' record, at most
 * MAX_FILES), the commands it ran (the `run` calls in the conversation, the
 * last ten) and its last words (the latest text it wrote). The whole is kept
 * under MAX_SUMMARY_CHARS: the latest run's section always whole, then as
 * much of the earlier runs' as fits, the oldest part cut at a line boundary
 * and replaced by a marker (`boundedSummary`). Secrets are redacted from it
 * and it is sanitized like untrusted text, since commands and last words are
 * model output (which may quote repository files); the resumed run's prompt
 * delimits it as a record, not instructions (resume-note.ts).
 */

export type PauseCause = PauseInfo["cause"];

export class LoopPaused extends Error {
  readonly pauseCause: PauseCause;
  readonly reason: string;
  constructor(cause: PauseCause, reason: string) {
    super(`paused: ${reason}`);
    this.name = "LoopPaused";
    this.pauseCause = cause;
    this.reason = reason;
  }
}

export const MAX_SUMMARY_CHARS = 12_000;
const MAX_COMMANDS = 10;
const MAX_LAST_WORDS = 1500;
const MAX_FILES = 40;
const MAX_PATH = 200;
/** A run's heading, at the start of a line (quoted last words start with `> `, commands with `- `, so model text cannot forge one). */
const RUN_HEADING = /^## Run (\d+)\b/gm;

export interface SummaryInput {
  messages: readonly ChatMessage[];
  filesChanged: Iterable<string>;
  turns: number;
  reason: string;
  secrets: readonly string[];
  /** Where this run started from when it was resumed: its summary of the earlier runs is carried forward. */
  resumedFrom?: ResumePoint | null | undefined;
}

export function conversationSummary(input: SummaryInput): string {
  const earlier = earlierRuns(input.resumedFrom);
  const clean = (text: string) => redactSecrets(sanitizeUntrusted(text), input.secrets);
  return boundedSummary(clean(earlier.text), clean(runSection(input, earlier.last + 1)));
}

/**
 * The earlier runs' summary and the latest run's section, at most `max`
 * characters: the latest section whole, and the tail of the earlier part that
 * fits, starting at a line boundary after a marker saying how much was cut.
 */
export function boundedSummary(earlier: string, latest: string, max = MAX_SUMMARY_CHARS): string {
  const last = latest.length > max ? `${latest.slice(0, max - 2)} …` : latest;
  if (earlier === "") return last;
  const whole = `${earlier}\n\n${last}`;
  if (whole.length <= max) return whole;
  // The marker's length with the largest count it can show, so the result never passes `max`.
  const room = max - last.length - 2 - trimMarker(earlier.length, max).length - 1;
  let from = Math.max(0, earlier.length - Math.max(0, room));
  if (from > 0 && earlier[from - 1] !== "\n") {
    const nextLine = earlier.indexOf("\n", from);
    from = nextLine === -1 ? earlier.length : nextLine + 1;
  }
  const kept = earlier.slice(from).trimStart();
  const marker = trimMarker(earlier.length - kept.length, max);
  const out = kept === "" ? `${marker}\n\n${last}` : `${marker}\n${kept}\n\n${last}`;
  return out.length <= max ? out : last;
}

function trimMarker(cut: number, max: number): string {
  return `[… the oldest ${cut.toLocaleString("en-US")} characters of this summary were cut to keep it under ${max.toLocaleString("en-US")}; the work of those runs is in the WIP commits on the task's branch …]`;
}

/** The summary a resumed run was given, and the number of its last run (a summary from before runs were numbered counts as run 1). */
function earlierRuns(resumedFrom: ResumePoint | null | undefined): { text: string; last: number } {
  if (!resumedFrom) return { text: "", last: 0 };
  const text = resumedFrom.summary.trim();
  const numbers = [...text.matchAll(RUN_HEADING)].map((m) => Number(m[1]));
  if (numbers.length > 0) return { text, last: Math.max(...numbers) };
  return text === "" ? { text: "", last: 1 } : { text: `## Run 1\n${text}`, last: 1 };
}

function runSection(input: SummaryInput, n: number): string {
  const files = [...input.filesChanged].sort().map((f) => `\`${f.replace(/[\u0000-\u001f`]/g, "?").slice(0, MAX_PATH)}\``);
  const commands = ranCommands(input.messages);
  const lastWords =
    [...input.messages]
      .reverse()
      .find((m) => m.role === "assistant" && m.content.trim() !== "")
      ?.content.trim() ?? "";
  const lines = [`## Run ${n}, ${origin(n, input.resumedFrom)}`];
  lines.push(`The run was paused after ${input.turns} model turn${input.turns === 1 ? "" : "s"}: it ${input.reason}.`);
  if (files.length === 0) lines.push("No file was changed in this run.");
  else {
    const more = files.length > MAX_FILES ? ` and ${files.length - MAX_FILES} more` : "";
    lines.push(`Files changed in this run: ${files.slice(0, MAX_FILES).join(", ")}${more}.`);
  }
  if (commands.length > 0) {
    const shown = commands.slice(-MAX_COMMANDS);
    const of = commands.length > shown.length ? ` (the last ${shown.length} of ${commands.length})` : "";
    lines.push(`Commands run${of}:`, ...shown.map((c) => `- \`${c}\``));
  }
  if (lastWords) lines.push(`Last words before the pause:\n> ${lastWords.slice(0, MAX_LAST_WORDS).replace(/\n/g, "\n> ")}`);
  return lines.join("\n");
}

function origin(n: number, resumedFrom: ResumePoint | null | undefined): string {
  if (!resumedFrom) return n === 1 ? "from the start of the approved plan" : "resumed";
  if (!resumedFrom.checkpointSha) return "resumed from a pause with nothing committed";
  return `resumed from the WIP commit ${resumedFrom.checkpointSha.slice(0, 12)}${resumedFrom.branch ? ` on ${resumedFrom.branch}` : ""}`;
}

function ranCommands(messages: readonly ChatMessage[]): string[] {
  const commands: string[] = [];
  for (const m of messages) {
    if (m.role !== "assistant") continue;
    for (const c of m.toolCalls) {
      if (c.name !== "run") continue;
      try {
        const command = (JSON.parse(c.arguments) as { command?: unknown }).command;
        if (typeof command === "string") commands.push(command.replace(/\s+/g, " ").replace(/`/g, "'").trim().slice(0, 200));
      } catch {
        // unparseable arguments: the call failed, nothing ran
      }
    }
  }
  return commands;
}
