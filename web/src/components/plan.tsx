/** The plan waiting for approval (or the one approved), with Approve, Revise (with feedback) and Cancel for those allowed. */
import { type FormEvent, useState } from "react";
import { formatCost } from "../../../src/render/format.ts";
import type { TaskAction } from "../task-actions.ts";
import type { Task } from "../types.ts";
import { Button, inputClass, labelClass } from "./ui.tsx";

export interface PlanActions {
  allowed: ReadonlySet<TaskAction>;
  busy: boolean;
  approve(): void;
  revise(feedback: string): Promise<boolean>;
  cancel(): void;
}

export function PlanView({ task, actions }: { task: Task; actions: PlanActions }) {
  const plan = task.plan;
  const [revising, setRevising] = useState(false);
  const [feedback, setFeedback] = useState("");
  if (!plan) return null;
  const sendRevision = async (event: FormEvent) => {
    event.preventDefault();
    if (await actions.revise(feedback)) {
      setFeedback("");
      setRevising(false);
    }
  };
  const { allowed, busy } = actions;
  return (
    <div>
      <p className="mb-2 text-sm text-slate-700">
        Version {task.planVersion}
        {task.costEstimateUsd !== null ? ` · estimated cost ${formatCost(task.costEstimateUsd)}` : ""}
        {task.approvedBy ? ` · approved by ${task.approvedBy}` : ""}
      </p>
      <p className="mb-3 whitespace-pre-wrap">{plan.summary}</p>
      <h3 className="font-semibold">Steps</h3>
      <ol className="mb-3 list-decimal space-y-2 pl-6">
        {plan.steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id; their order is the plan's
          <li key={index}>
            <span className="font-medium">{step.title}</span>
            {step.detail && <p className="whitespace-pre-wrap text-slate-800">{step.detail}</p>}
            {step.files.length > 0 && <p className="text-sm break-words text-slate-700">Files: {step.files.join(", ")}</p>}
          </li>
        ))}
      </ol>
      {plan.risks.length > 0 && (
        <>
          <h3 className="font-semibold">Risks</h3>
          <ul className="mb-3 list-disc pl-6">
            {plan.risks.map((risk) => (
              <li key={risk} className="whitespace-pre-wrap">
                {risk}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3 className="font-semibold">Verification</h3>
      <p className="mb-3 whitespace-pre-wrap">{plan.verification}</p>
      {(allowed.has("approve") || allowed.has("revise")) && (
        <div className="flex flex-wrap gap-2">
          {allowed.has("approve") && (
            <Button variant="primary" onClick={actions.approve} disabled={busy}>
              Approve
            </Button>
          )}
          {allowed.has("revise") && (
            <Button onClick={() => setRevising((r) => !r)} aria-expanded={revising} aria-controls="revise-form" disabled={busy}>
              Revise
            </Button>
          )}
          {allowed.has("cancel") && (
            <Button variant="danger" onClick={actions.cancel} disabled={busy}>
              Cancel task
            </Button>
          )}
        </div>
      )}
      {revising && allowed.has("revise") && (
        <form id="revise-form" onSubmit={sendRevision} className="mt-3 grid gap-2" aria-label="Revise the plan">
          <label htmlFor="feedback" className={labelClass}>
            What should the next plan change?
          </label>
          <textarea id="feedback" className={`${inputClass} min-h-28`} value={feedback} onChange={(e) => setFeedback(e.target.value)} required maxLength={10_000} />
          <div>
            <Button type="submit" variant="primary" disabled={busy || feedback.trim() === ""}>
              Send feedback
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
