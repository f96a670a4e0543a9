/**
 * The outbox line for a task as it stands (pure): the plan when it waits for
 * approval, the pause and how to resume, the summary and pull request when
 * done, what happened and what to do when it failed or was cancelled; null
 * while it is on its way (queued, planning, working, ...). `reportOf` also
 * names the report, so the same one is never written twice: a new plan
 * version or a new pause is a new report.
 */
import type { Task, TaskEvent } from "../domain/model.ts";
import { CHANNEL_VERSION, type ResultLine } from "./protocol.ts";

export interface Report {
  line: ResultLine;
  /** Which report this is (`awaiting_approval:2`, `paused:<when>`, `done`): written once per prompt. */
  key: string;
  /** The task ended: nothing follows this line. */
  final: boolean;
}

/** The text as a sentence: trimmed, ending with a full stop when it has no end of its own. */
const sentence = (text: string) => {
  const t = text.trim();
  return !t || /[.!?:)]$/.test(t) ? t : `${t}.`;
};

export function reportOf(promptId: string, task: Task, history: readonly TaskEvent[]): Report | null {
  const line = (status: ResultLine["status"], summary: string, extra: Partial<ResultLine> = {}): ResultLine => ({
    version: CHANNEL_VERSION,
    id: promptId,
    task: task.id,
    status,
    summary,
    pullRequest: null,
    plan: null,
    error: null,
    ...extra,
  });
  const cli = (verb: string) => `openjules tasks ${verb} ${task.id}`;
  switch (task.state) {
    case "awaiting_approval": {
      if (!task.plan) return null;
      const plan = { ...task.plan, version: task.planVersion, costEstimateUsd: task.costEstimateUsd };
      const summary = `Plan ${task.planVersion} waits for approval: ${sentence(task.plan.summary)} Approve it (${cli("approve")}) or ask for another (${cli("revise")} <feedback>).`;
      return { line: line("awaiting_approval", summary, { plan }), key: `awaiting_approval:${task.planVersion}`, final: false };
    }
    case "paused": {
      const why = task.pause?.reason ?? "a pause was asked for";
      const summary = `Paused (${why}); the work so far is kept. Resume it with ${cli("resume")} (--extra '$2' for more budget), or cancel it.`;
      return { line: line("paused", summary), key: `paused:${task.pause?.at ?? task.updatedAt}`, final: false };
    }
    case "done": {
      const pullRequest = task.pullRequestUrl && task.pullRequestNumber ? { url: task.pullRequestUrl, number: task.pullRequestNumber } : null;
      const what = task.answer ?? task.plan?.summary ?? task.instruction.split("\n")[0] ?? "";
      const summary = `Done: ${sentence(what)}${pullRequest ? ` Pull request #${pullRequest.number}: ${pullRequest.url}` : ""}`.trim();
      return { line: line("done", summary, { pullRequest }), key: "done", final: true };
    }
    case "failed": {
      const f = task.failure;
      const error = f
        ? `${f.reason} (phase: ${f.phase}). Next: ${sentence(f.hint)}`
        : `The task failed without a recorded reason; read it with ${cli("show")}, or try again with ${cli("retry")}.`;
      return { line: line("failed", sentence(`Failed${f ? ` in ${f.phase}` : ""}: ${f?.reason ?? "no reason recorded"}`), { error }), key: "failed", final: true };
    }
    case "cancelled": {
      const by = history.findLast((e) => e.to === "cancelled");
      const error = by ? `Cancelled by ${by.actor} (${by.face})${by.reason ? `: ${by.reason}` : ""}. Start it again with ${cli("retry")} if it is still wanted.` : "Cancelled.";
      return { line: line("cancelled", "Cancelled; nothing was delivered.", { error }), key: "cancelled", final: true };
    }
    default:
      return null;
  }
}
