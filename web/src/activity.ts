/**
 * The task page's activity log and test results, from the event log: each
 * command with its output and exit code as one entry, everything else
 * (files read and edited, notes, state changes, the plan, messages) as a
 * note. A command is written as src/agent/command-events.ts writes it: a
 * `command` event when it starts (no exit code, no duration), its output in
 * chunks, then a `command` event with the exit code (null: killed or timed
 * out) and the duration; output with no start before it is kept until a
 * command event claims it. Pure, so it is tested without a browser.
 */
import type { LogEventData, TaskLogEvent } from "../../src/domain/model.ts";
import { summarizeOutput } from "../../src/sandbox/output-summary.ts";
import { cleanOutput } from "../../src/sandbox/trim-output.ts";

export type Source = "setup" | "tests" | "agent";

export interface CommandEntry {
  kind: "command";
  /** The id of its first event (a stable React key). */
  key: number;
  at: string;
  source: Source;
  /** null while only output has arrived. */
  command: string | null;
  exitCode: number | null;
  durationMs: number | null;
  running: boolean;
  /** The raw output; shown through cleanOutput. */
  output: string;
}

export type NoteData = Exclude<LogEventData, { type: "command" | "output" | "usage" }>;

export interface NoteEntry {
  kind: "note";
  key: number;
  at: string;
  data: NoteData;
}

export type ActivityEntry = CommandEntry | NoteEntry;

const isStart = (data: Extract<LogEventData, { type: "command" }>) => data.exitCode === null && data.durationMs === 0;

export function buildActivity(events: readonly TaskLogEvent[]): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  const open = new Map<Source, CommandEntry>();
  for (const event of events) {
    const data = event.data;
    if (data.type === "output") {
      let entry = open.get(data.source);
      if (!entry) {
        entry = { kind: "command", key: event.id, at: event.at, source: data.source, command: null, exitCode: null, durationMs: null, running: true, output: "" };
        entries.push(entry);
        open.set(data.source, entry);
      }
      entry.output += data.chunk;
    } else if (data.type === "command") {
      const current = open.get(data.source);
      const claims = current && (current.command === null || current.command === data.command);
      // A second "no exit code, no duration" for a command already open is its end (killed at once), not another start.
      const start = isStart(data) && !(claims && current.command !== null);
      const entry: CommandEntry = claims
        ? current
        : { kind: "command", key: event.id, at: event.at, source: data.source, command: null, exitCode: null, durationMs: null, running: true, output: "" };
      if (!claims) {
        if (current) current.running = false;
        entries.push(entry);
      }
      entry.command = data.command;
      entry.exitCode = data.exitCode;
      entry.durationMs = start ? null : data.durationMs;
      entry.running = start;
      if (entry.running) open.set(data.source, entry);
      else open.delete(data.source);
    } else if (data.type !== "usage") {
      entries.push({ kind: "note", key: event.id, at: event.at, data });
    }
  }
  return entries;
}

export type TestOutcome = "running" | "passed" | "failed" | "stopped";

export interface TestRun {
  key: number;
  command: string;
  outcome: TestOutcome;
  exitCode: number | null;
  durationMs: number | null;
  /** What to read first: the failing tests and the runner's counts, or the output's tail (summarizeOutput). */
  summary: string;
  /** The whole output, cleaned of terminal escapes. */
  output: string;
}

export function outcomeOf(entry: CommandEntry): TestOutcome {
  if (entry.running) return "running";
  if (entry.exitCode === 0) return "passed";
  return entry.exitCode === null ? "stopped" : "failed";
}

/** The test commands (source `tests`), oldest first. */
export function testRuns(entries: readonly ActivityEntry[]): TestRun[] {
  return entries.flatMap((entry) => {
    if (entry.kind !== "command" || entry.source !== "tests" || entry.command === null) return [];
    return [
      {
        key: entry.key,
        command: entry.command,
        outcome: outcomeOf(entry),
        exitCode: entry.exitCode,
        durationMs: entry.durationMs,
        summary: summarizeOutput(entry.output, 4000).text,
        output: cleanOutput(entry.output),
      },
    ];
  });
}

/** Events merged by id (a reconnect may send some again), in id order. */
export function mergeEvents(known: readonly TaskLogEvent[], incoming: readonly TaskLogEvent[]): TaskLogEvent[] {
  if (incoming.length === 0) return known as TaskLogEvent[];
  const last = known.at(-1)?.id ?? 0;
  const fresh = incoming.filter((e) => e.id > last);
  if (fresh.length === incoming.length && fresh.every((e, i) => i === 0 || e.id > fresh[i - 1]!.id)) return [...known, ...fresh];
  const byId = new Map(known.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
