/**
 * The one live status comment of a task, edited in place as the task moves:
 * a hidden marker, the state in words, the checklist of phases, elapsed time,
 * the agent's activity and usage, links, and what to do next (approve,
 * revise or cancel while a plan waits; why it failed and what can be done
 * after a failure; who cancelled and why).
 */
import type { Task, TaskEvent } from "../domain/model.ts";
import { isTerminal } from "../domain/state-machine.ts";
import { code, commandWord, inline, link, user } from "./escape.ts";
import { elapsedMs, formatDuration } from "./format.ts";
import { statusMarker } from "./markers.ts";
import { phaseChecklist, stoppedAt, type PhaseItem } from "./phases.ts";
import { fenced } from "./pull-request.ts";
import { hasUsage, renderUsage } from "./usage.ts";
import { FAILED_WHILE, PHASE_LABEL } from "./words.ts";

export interface StatusLinks {
  plan?: string;
  answer?: string;
  branch?: string;
  pullRequest?: string;
  /** The task's page in the web app (JULES_PUBLIC_URL set). */
  live?: string;
}

export interface StatusInput {
  task: Task;
  now: Date;
  links: StatusLinks;
  /** The command word from jules.yml, for the instructions shown. */
  command: string;
  /** A line shown above the checklist, e.g. "Resumed after a restart." */
  notice?: string;
  /** The task's transitions (TaskStore.history): where a failure happened, who cancelled and why. */
  events?: readonly TaskEvent[];
}

const ICON = { done: "✅", current: "🔄", pending: "⬜", skipped: "⏭️", failed: "❌", cancelled: "🚫" } as const;

function headline(task: Task, events: readonly TaskEvent[]): string {
  switch (task.state) {
    case "queued":
      return "⏳ Queued: waiting for a worker";
    case "planning":
      return task.kind === "ask" ? "🔎 Looking for the answer to a question" : "🧠 Planning";
    case "revising":
      return `🧠 Revising the plan (v${task.planVersion + 1})`;
    case "awaiting_approval":
      return "✋ Plan ready: waiting for approval";
    case "approved":
      return "👍 Plan approved: starting work";
    case "working":
      return "🛠️ Working on the changes";
    case "testing":
      return "🧪 Running the tests";
    case "paused":
      return "⏸️ Paused";
    case "done":
      if (task.pullRequestNumber !== null) return `🎉 Done: pull request #${task.pullRequestNumber} is open`;
      if (task.pullRequestUrl !== null) return "🎉 Done: pull request opened";
      if (task.plan === null && task.answer !== null) return "💬 Answered";
      return task.branch !== null ? "✅ Done: branch pushed" : "✅ Done";
    case "failed":
      return `❌ Failed ${FAILED_WHILE[stoppedAt(task, events)]}`;
    case "cancelled":
      return "🚫 Cancelled";
  }
}

function note(item: PhaseItem, task: Task): string {
  if (item.phase === "approval" && item.status === "done" && task.approvedBy) return ` (approved by ${user(task.approvedBy)})`;
  if (item.phase === "planning" && task.kind === "ask") return " (a question: answered from the code, read-only)";
  if (item.status === "skipped") {
    if (task.kind === "ask") return " (not for a question)";
    if (task.plan === null && task.answer !== null) return " (not needed)";
    if (item.phase === "approval" && task.planContext?.ci?.automatic) return " (started automatically: `ci_fix: auto` in `.github/jules.yml`)";
    if (item.phase === "approval") return " (approved automatically: `approval: auto` in `.github/jules.yml`)";
    if (item.phase === "pull_request") return " (branch only)";
  }
  if (item.phase === "planning" && task.planVersion > 1 && item.status !== "pending") return ` (plan v${task.planVersion})`;
  if (item.phase === "pull_request" && item.status === "done" && task.pullRequestNumber !== null) return ` (#${task.pullRequestNumber})`;
  return "";
}

function checklistLine(item: PhaseItem, task: Task): string {
  const label = PHASE_LABEL[item.phase];
  const strong = item.status === "current" || item.status === "failed" || item.status === "cancelled";
  return `- ${ICON[item.status]} ${strong ? `**${label}**` : label}${note(item, task)}`;
}

function linksLine(task: Task, links: StatusLinks): string | null {
  const parts = [
    links.live ? link(isTerminal(task.state) ? "task page" : "watch live", links.live) : null,
    links.plan ? link(task.planVersion > 1 ? `plan v${task.planVersion}` : "plan", links.plan) : null,
    links.answer ? link("answer", links.answer) : null,
    links.branch ? link(`branch ${task.branch ? code(task.branch) : ""}`.trim(), links.branch) : null,
    links.pullRequest ? link(task.pullRequestNumber !== null ? `pull request #${task.pullRequestNumber}` : "pull request", links.pullRequest) : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? `**Links:** ${parts.join(" · ")}` : null;
}

function nextSteps(input: StatusInput): string[] {
  const { task, command, events = [] } = input;
  switch (task.state) {
    case "awaiting_approval":
      return [`**Next:** reply \`/approve\` to start the work, \`/revise <what to change>\` for a new plan, or \`/cancel\` to stop.`];
    case "paused":
      return pausedSteps(task, command);
    case "failed": {
      const failure = task.failure;
      return [
        `**What happened:** ${failure ? inline(failure.reason, 3000) : "no reason was recorded."}`,
        ...(failure?.output ? [fenced(failure.output, 4000)] : []),
        `**What you can do:** ${failure?.hint ? inline(failure.hint, 1000) : `start a new task with \`/${commandWord(command)} <what to do>\`.`}`,
      ];
    }
    case "cancelled": {
      const event = [...events].reverse().find((e) => e.to === "cancelled");
      const by = event ? ` by ${user(event.actor)}` : "";
      const why = event?.reason ? `: ${inline(event.reason, 1000)}` : ".";
      return [`**Cancelled${by}**${why}`, `Start again any time with \`/${commandWord(command)} <what to do>\`.`];
    }
    default:
      return [];
  }
}

/** What a paused task reached, what it kept, and the two ways to go on. */
function pausedSteps(task: Task, command: string): string[] {
  const pause = task.pause;
  const why = pause ? (pause.cause === "operator" ? `paused on request: ${inline(pause.reason, 1000)}` : `it ${inline(pause.reason, 1000)}`) : "no reason was recorded";
  const kept = pause?.checkpointSha
    ? `The work so far is kept as commit ${code(pause.checkpointSha.slice(0, 12))}${task.branch ? ` on ${code(task.branch)}` : ""}.`
    : "There was nothing to commit yet.";
  return [
    `**Why it stopped:** ${why}. ${kept}`,
    `**To go on:** reply \`/${commandWord(command)} resume\` to continue with the same budget, or add budget with \`/${commandWord(command)} resume $2\` (or \`20 turns\`, \`30 minutes\`, \`100k tokens\`); the API and \`openjules tasks resume\` do the same. \`/cancel\` stops it for good.`,
  ];
}

export function renderStatus(input: StatusInput): string {
  const { task, now, links, events = [] } = input;
  const terminal = isTerminal(task.state);
  const elapsed = formatDuration(terminal ? elapsedMs(task.createdAt, task.updatedAt) : elapsedMs(task.createdAt, now));
  const details = [
    `**${terminal ? "Took" : "Running for"}** ${elapsed} · asked by ${user(task.requestedBy)}${task.baseBranch ? ` · base ${code(task.baseBranch)}` : ""}`,
    task.activity ? `**Activity:** ${inline(task.activity, 300)}` : null,
    hasUsage(task.usage) ? `**Usage (whole task):** ${renderUsage(task.usage)}` : null,
    linksLine(task, links),
  ].filter((line): line is string => line !== null);
  const sections = [
    `${statusMarker(task.id)}\n### ${headline(task, events)}`,
    input.notice ? `> [!NOTE]\n> ${inline(input.notice, 2000)}` : null,
    phaseChecklist(task, events)
      .map((item) => checklistLine(item, task))
      .join("\n"),
    details.join("\n"),
    nextSteps(input).join("\n") || null,
    terminal ? null : "<sub>This comment is updated as the task moves. `/cancel` stops the task.</sub>",
  ];
  return sections.filter((s): s is string => s !== null).join("\n\n") + "\n";
}
