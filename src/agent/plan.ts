import { z } from "zod";
import type { Plan } from "../domain/model.ts";

/**
 * The plan as structured data: the zod schema the `submit_plan` tool accepts
 * (its JSON Schema is what the model sees) and that the pipeline can use to
 * validate a stored plan. Its output type is exactly `Plan` of tasks/model.ts.
 */

const repoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "must be a path relative to the repository root, without ..");

export const PlanStepSchema = z.object({
  title: z.string().min(1).max(200).describe("What this step does, in one short sentence."),
  detail: z.string().max(4000).optional().describe("How, in a few sentences: functions to change, approach, edge cases."),
  files: z.array(repoPath).max(50).describe("Files this step expects to create or change (relative paths); may be empty."),
});

export const PlanSchema = z.object({
  summary: z.string().min(1).max(4000).describe("What will change and why, in two to four sentences."),
  steps: z.array(PlanStepSchema).min(1).max(30).describe("Ordered steps."),
  risks: z.array(z.string().min(1).max(1000)).max(20).default([]).describe("Risks, open questions or assumptions the reviewer should check."),
  verification: z.string().min(1).max(2000).describe("How the change will be verified: tests to add or run, commands, manual checks."),
});

// Compile-time check that the schema produces the shared Plan type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _planMatches: Same<z.output<typeof PlanSchema>, Plan> = true;
void _planMatches;

/** The plan as plain text for a prompt (the approved plan in execution, the previous one in a revision). */
export function planToText(plan: Plan): string {
  const steps = plan.steps.map((step, i) => {
    const files = step.files.length > 0 ? `\n   Files: ${step.files.join(", ")}` : "";
    const detail = step.detail ? `\n   ${step.detail.replace(/\n/g, "\n   ")}` : "";
    return `${i + 1}. ${step.title}${detail}${files}`;
  });
  const risks = plan.risks.length > 0 ? plan.risks.map((r) => `- ${r}`).join("\n") : "- none noted";
  return `Summary: ${plan.summary}\n\nSteps:\n${steps.join("\n")}\n\nRisks and open questions:\n${risks}\n\nVerification: ${plan.verification}`;
}
