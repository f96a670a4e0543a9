/**
 * What `openjules tasks monitor` shows, as pure functions of the task (as
 * read when the monitor started) and the events of its log since: the
 * screen a terminal redraws (state, phase checklist, elapsed time, current
 * activity, the last command and the tail of its output, spend, what to do
 * next), one plain line per event for pipes and `events`, and the exit code
 * of the state the task ended in. Task text and command output come from
 * repositories, so escape sequences and control characters are removed.
 */
import { FAILED_WHILE, PHASE_LABEL, STATE_WORDS } from "../../render/words.ts";
import { phaseChecklist, type PhaseStatus } from "../../render/phases.ts";
import { elapsedMs, formatCost, formatDuration } from "../../render/format.ts";
import type { LogEventData, Task, TaskEvent, TaskLogEvent, TaskState } from "../../domain/model.ts";
import { terminalSafe, where } from "./format.ts";

/** Exit codes of `monitor` (1 stays the CLI's own error: unreachable server, unknown task, bad token). */
export const MONITOR_EXIT: Partial<Record<TaskState, number>> = { done: 0, failed: 3, cancelled: 4, paused: 5 };

/** The states `monitor` stops at; `events --follow` stops at the final ones only. */
export const MONITOR_STOPS: readonly TaskState[] = ["done", "failed", "cancelled", "paused"];

const MARK: Record<PhaseStatus, string> = { done: "✓", current: "▶", pending: "·", skipped: "–", failed: "✗", cancelled: "⊘" };
const ANSI = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-_])/g;

/** Output as a person reads it in a terminal: escape sequences gone, a carriage return keeps what was written after it. */
export const cleanOutput = (text: string): string =>
  terminalSafe(
    text
      .replace(ANSI, "")
      .split("\n")
      .map((line) => line.replace(/\r+$/, "").split("\r").at(-1)!)
      .join("\n"),
  );

/** The task with the events folded in: state, activity, usage, pull request as they are now. */
export function currentTask(task: Task, events: readonly TaskLogEvent[]): Task {
  let now = task;
  for (const { data, at } of events) {
    if (data.type === "state") now = { ...now, state: data.to, updatedAt: at || now.updatedAt, ...approval(data) };
    else if (data.type === "activity") now = { ...now, activity: data.line };
    else if (data.type === "usage") now = { ...now, usage: data.usage };
    else if (data.type === "pull_request") now = { ...now, pullRequestNumber: data.number, pullRequestUrl: data.url };
    else if (data.type === "plan") now = { ...now, planVersion: data.version, costEstimateUsd: data.costEstimateUsd };
  }
  return now;
}

/** An approval by a person (through any face but the system's: `approval: auto` approves as the system). */
const approval = (data: Extract<LogEventData, { type: "state" }>): Partial<Task> =>
  data.to === "approved" && data.from === "awaiting_approval" && data.face !== "system" ? { approvedBy: data.actor, approvalKind: "person" } : {};

const history = (events: readonly TaskLogEvent[]): TaskEvent[] =>
  events.flatMap(({ taskId, at, data }) => (data.type === "state" ? [{ taskId, at, from: data.from, to: data.to, actor: data.actor, face: data.face, reason: data.reason }] : []));

export interface ScreenOptions {
  /** Terminal columns: longer lines are cut so a redraw never wraps. */
  width: number;
  /** Lines of command output shown. */
  outputLines: number;
}

export function monitorScreen(task0: Task, events: readonly TaskLogEvent[], now: Date, options: ScreenOptions = { width: 100, outputLines: 8 }): string {
  const task = currentTask(task0, events);
  const final = MONITOR_STOPS.includes(task.state);
  const lines: string[] = [`Task ${task.id} · ${where(`${task.owner}/${task.repo}`, task.issueNumber)} · ${task.issueTitle || task.instruction}`];
  const field = (name: string, value: string) => lines.push(`${name.padEnd(10)}${value}`);
  const elapsed = formatDuration(elapsedMs(task.createdAt, final ? task.updatedAt : now));
  const spend = task.usage ? formatCost(task.usage.costUsd) : "$0";
  const estimate = task.costEstimateUsd !== null ? ` (plan estimate ${formatCost(task.costEstimateUsd)})` : "";
  field("state", `${stateWords(task)}   ·   ${final ? "took" : "elapsed"} ${elapsed}   ·   spend ${spend}${estimate}`);
  const checklist = phaseChecklist(task.state === "paused" ? { ...task, state: "working" } : task, history(events));
  field("phases", checklist.map((item) => `${task.state === "paused" && item.status === "current" ? "⏸" : MARK[item.status]} ${PHASE_LABEL[item.phase]}`).join("  "));
  if (task.activity && !final) field("activity", task.activity);
  const command = [...events].reverse().find((e) => e.data.type === "command")?.data as Extract<LogEventData, { type: "command" }> | undefined;
  if (command) field("command", `$ ${command.command}  (${command.source}${command.exitCode === null ? "" : `, exit ${command.exitCode}`}, ${formatDuration(command.durationMs)})`);
  const tail = outputTail(events, options.outputLines);
  if (tail.length > 0) lines.push(`output (${tail.source})`, ...tail.lines.map((l) => `  │ ${l}`));
  if (task.pullRequestUrl) field("pull req.", task.pullRequestUrl);
  if (task.state === "failed" && task.failure) field("failure", `${task.failure.phase}: ${task.failure.reason}`);
  const [next, ...more] = nextStep(task)?.split("\n") ?? [];
  if (next) field("next", next);
  for (const line of more) field("", line);
  return lines.map((line) => cut(terminalSafe(line), options.width)).join("\n");
}

function stateWords(task: Task): string {
  if (task.state === "paused") return `paused: ${task.pause?.reason ?? "waiting to be resumed"}`;
  if (task.state === "failed") return "failed";
  return STATE_WORDS[task.state] ?? task.state;
}

function nextStep(task: Task): string | null {
  if (task.state === "awaiting_approval") return `approve: openjules tasks approve ${task.id}\nor revise: openjules tasks revise ${task.id} "<feedback>"`;
  if (task.state === "paused") return `resume: openjules tasks resume ${task.id} [--extra '$2' | '20 turns']`;
  if (task.state === "failed") return task.failure?.hint ?? `retry: openjules tasks retry ${task.id}`;
  return null;
}

/** The last lines of the most recent command output (of the source that wrote last). */
export function outputTail(events: readonly TaskLogEvent[], count: number): { source: string; lines: string[]; length: number } {
  const chunks: string[] = [];
  let source: string | null = null;
  let closing = true;
  for (let i = events.length - 1; i >= 0; i--) {
    const data = events[i]!.data;
    // A command is written when it starts (exit code null, no duration) and when it ends: the output of the newest
    // command lies between the two, so the end event it closes with is stepped over, and any other command stops the walk.
    if (data.type === "command") {
      const ended = data.exitCode !== null || data.durationMs > 0;
      if (closing && ended && chunks.length === 0) {
        closing = false;
        continue;
      }
      break;
    }
    if (data.type !== "output") continue;
    if (source !== null && data.source !== source) break;
    source = data.source;
    chunks.unshift(data.chunk);
    if (chunks.join("").split("\n").length > count + 1) break;
  }
  const lines = cleanOutput(chunks.join("")).replace(/\n+$/, "").split("\n");
  const tail = source === null ? [] : lines.slice(-count);
  return { source: source ?? "", lines: tail, length: tail.length };
}

const cut = (line: string, width: number) => (line.length > width ? `${line.slice(0, Math.max(1, width - 1))}…` : line);

/** One plain line (or a few, for output) per event: `monitor` on a pipe, and `events` without --json. */
export function eventLines(event: TaskLogEvent): string[] {
  const time = event.at ? `${event.at.slice(11, 19)} ` : "";
  const d = event.data;
  const one = (text: string) => [terminalSafe(`${time}${text}`)];
  switch (d.type) {
    case "state":
      return one(`state ${d.from ?? "(new)"} -> ${d.to}  by ${d.actor} via ${d.face}${d.reason ? `: ${d.reason}` : ""}`);
    case "activity":
      return one(`activity ${d.line}`);
    case "tool":
      return one(`tool ${d.tool}: ${d.summary}`);
    case "command":
      return one(`command [${d.source}] $ ${d.command}${d.exitCode === null ? "" : ` -> exit ${d.exitCode}`} (${formatDuration(d.durationMs)})`);
    case "output":
      return cleanOutput(d.chunk)
        .replace(/\n$/, "")
        .split("\n")
        .map((line) => `${time}output [${d.source}] │ ${line}`);
    case "plan":
      return one(`plan v${d.version}: ${d.summary} (${d.steps} steps${d.costEstimateUsd === null ? "" : `, estimate ${formatCost(d.costEstimateUsd)}`})`);
    case "pull_request":
      return one(`pull request #${d.number} ${d.url}`);
    case "message":
      return one(`message from ${d.from} via ${d.face}: ${d.text}`);
    case "usage":
      return one(`spend ${formatCost(d.usage.costUsd)} (${d.usage.calls} model calls, ${d.usage.inputTokens} in / ${d.usage.outputTokens} out tokens)`);
    case "paused":
      return one(`paused (${d.cause}): ${d.reason}${d.checkpointSha ? `; work kept in ${d.checkpointSha.slice(0, 12)}` : ""}`);
  }
}

/** The last line of a plain `monitor`: how the task ended and how long it took. */
export function monitorSummary(task0: Task, events: readonly TaskLogEvent[]): string {
  const task = currentTask(task0, events);
  const took = formatDuration(elapsedMs(task.createdAt, task.updatedAt));
  const end =
    task.state === "done"
      ? `done${task.pullRequestUrl ? `: ${task.pullRequestUrl}` : ""}`
      : task.state === "failed"
        ? `failed ${FAILED_WHILE[phaseChecklist(task, history(events)).find((i) => i.status === "failed")?.phase ?? "working"]}${task.failure ? `: ${task.failure.reason}` : ""}`
        : stateWords(task);
  const next = nextStep(task)?.replace("\n", ", ");
  return terminalSafe(`Task ${task.id} ${end} (after ${took}).${next ? ` Next: ${next}` : ""}`);
}
