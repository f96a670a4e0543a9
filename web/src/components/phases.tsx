/** The phase checklist of the status comment (src/render/phases.ts), as a list with each phase's status in words. */
import { phaseChecklist, type PhaseStatus } from "../../../src/render/phases.ts";
import { PHASE_LABEL } from "../../../src/render/words.ts";
import type { Task, TaskEvent } from "../types.ts";

const MARK: Record<PhaseStatus, { icon: string; words: string; style: string }> = {
  done: { icon: "✓", words: "done", style: "text-green-800" },
  current: { icon: "●", words: "in progress", style: "text-blue-800 font-semibold" },
  pending: { icon: "○", words: "not started", style: "text-slate-700" },
  skipped: { icon: "–", words: "skipped", style: "text-slate-700" },
  failed: { icon: "✗", words: "failed", style: "text-red-800 font-semibold" },
  cancelled: { icon: "✗", words: "cancelled", style: "text-slate-800 font-semibold" },
};

export function PhaseChecklist({ task, history }: { task: Task; history: TaskEvent[] }) {
  return (
    <ol aria-label="Phases" className="flex flex-wrap gap-x-5 gap-y-2">
      {phaseChecklist(task, history).map(({ phase, status }) => {
        const mark = MARK[status];
        return (
          <li key={phase} className={mark.style} aria-current={status === "current" ? "step" : undefined}>
            <span aria-hidden="true">{mark.icon} </span>
            {PHASE_LABEL[phase]}
            <span className="sr-only">: {mark.words}</span>
          </li>
        );
      })}
    </ol>
  );
}
