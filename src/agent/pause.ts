import type { PauseInfo } from "../domain/model.ts";
import { redactSecrets } from "../security/redact.ts";
import type { ChatMessage } from "./providers/provider.ts";

/**
 * Pausing an execution instead of failing it. The loop throws `LoopPaused`
 * when it reaches a budget, is about to go over the cost budget, or a person
 * asked for a pause; the agent turns it into a paused outcome with
 * `conversationSummary`, which the agent is given when the task resumes.
 *
 * The summary is built from the conversation itself, without a model call
 * (a model call is what the budget just ran out of): how many turns, why it
 * stopped, the files the agent changed (its tools' record), the commands it
 * ran (the `run` calls in the conversation, the last ten), and its last
 * words (the latest text it wrote). Secrets are redacted from it.
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

const MAX_COMMANDS = 10;
const MAX_LAST_WORDS = 1500;

export interface SummaryInput {
  messages: readonly ChatMessage[];
  filesChanged: Iterable<string>;
  turns: number;
  reason: string;
  secrets: readonly string[];
}

export function conversationSummary(input: SummaryInput): string {
  const files = [...input.filesChanged].sort();
  const commands = ranCommands(input.messages);
  const lastWords =
    [...input.messages]
      .reverse()
      .find((m) => m.role === "assistant" && m.content.trim() !== "")
      ?.content.trim() ?? "";
  const lines = [`The run was paused after ${input.turns} model turn${input.turns === 1 ? "" : "s"}: it ${input.reason}.`];
  lines.push(files.length > 0 ? `Files changed so far: ${files.map((f) => `\`${f}\``).join(", ")}.` : "No file had been changed yet.");
  if (commands.length > 0) {
    const shown = commands.slice(-MAX_COMMANDS);
    const of = commands.length > shown.length ? ` (the last ${shown.length} of ${commands.length})` : "";
    lines.push(`Commands run${of}:`, ...shown.map((c) => `- \`${c}\``));
  }
  if (lastWords) lines.push(`Last words before the pause:\n> ${lastWords.slice(0, MAX_LAST_WORDS).replace(/\n/g, "\n> ")}`);
  return redactSecrets(lines.join("\n"), input.secrets);
}

function ranCommands(messages: readonly ChatMessage[]): string[] {
  const commands: string[] = [];
  for (const m of messages) {
    if (m.role !== "assistant") continue;
    for (const c of m.toolCalls) {
      if (c.name !== "run") continue;
      try {
        const command = (JSON.parse(c.arguments) as { command?: unknown }).command;
        if (typeof command === "string") commands.push(command.replace(/\s+/g, " ").trim().slice(0, 200));
      } catch {
        // unparseable arguments: the call failed, nothing ran
      }
    }
  }
  return commands;
}
