/**
 * Reads a task's transcript (`<dataDir>/transcripts/<taskId>.jsonl`, one JSON
 * object per line, written by agent/transcript.ts) for operators: a summary
 * with counts only (model calls, tokens, tool calls by tool name, phases and
 * how they ended), never contents, for the task API; and the raw lines one by
 * one for `openjules tasks logs`. Lines that are not JSON (a torn last line
 * after a crash) are counted, not fatal.
 */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { createInterface } from "node:readline";
import { transcriptPath } from "../agent/transcript.ts";

export interface TranscriptSummary {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
  toolErrors: number;
  /** Tool calls per tool name, e.g. { read_file: 6, search: 2 }. */
  tools: Record<string, number>;
  /** Phases in the order they started, with provider, model and outcome (null while running or after a crash). */
  phases: { phase: string; provider: string; model: string; outcome: string | null }[];
  /** Lines that could not be read as JSON. */
  unreadableLines: number;
}

export { transcriptPath };

/** The transcript's lines as parsed objects (null for an unreadable line); nothing when the file does not exist. */
export async function* transcriptLines(dataDir: string, taskId: string): AsyncGenerator<Record<string, unknown> | null> {
  const path = transcriptPath(dataDir, taskId);
  if (
    !(await access(path).then(
      () => true,
      () => false,
    ))
  )
    return;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      yield typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      yield null;
    }
  }
}

/** Counts of the transcript, or null when the task has none (it never reached the agent). */
export async function summarizeTranscript(dataDir: string, taskId: string): Promise<TranscriptSummary | null> {
  const s: TranscriptSummary = { modelCalls: 0, inputTokens: 0, outputTokens: 0, toolCalls: 0, toolErrors: 0, tools: {}, phases: [], unreadableLines: 0 };
  const tools = new Map<string, number>();
  let seen = false;
  for await (const entry of transcriptLines(dataDir, taskId)) {
    seen = true;
    if (!entry) {
      s.unreadableLines++;
      continue;
    }
    switch (entry.type) {
      case "start":
        s.phases.push({ phase: text(entry.phase), provider: text(entry.provider), model: text(entry.model), outcome: null });
        break;
      case "end": {
        const open = s.phases.findLast((p) => p.phase === text(entry.phase) && p.outcome === null);
        if (open) open.outcome = text(entry.outcome);
        break;
      }
      case "model": {
        s.modelCalls++;
        const usage = (entry.usage ?? {}) as { inputTokens?: unknown; outputTokens?: unknown };
        s.inputTokens += count(usage.inputTokens);
        s.outputTokens += count(usage.outputTokens);
        break;
      }
      case "tool": {
        s.toolCalls++;
        if (entry.isError === true) s.toolErrors++;
        const name = text(entry.name) || "(unnamed)";
        tools.set(name, (tools.get(name) ?? 0) + 1);
        break;
      }
    }
  }
  s.tools = Object.fromEntries(tools); // own properties even for a name like "__proto__"
  return seen ? s : null;
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");
const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);
