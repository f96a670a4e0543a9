/**
 * The plan comment: the plan in readable markdown (summary, numbered steps
 * with the files each touches, risks and open questions, verification), how
 * to approve, revise or cancel, a note when the four-eyes rule applies, and
 * the hidden marker (task id, plan hash, version) that ties an approval to
 * this exact plan. Every text from the model is neutralised and cut so the
 * comment stays under GitHub's size limit.
 */
import { autoApproval } from "../config/approval.ts";
import type { Plan, Task } from "../domain/model.ts";
import { block, code, commandWord, indent, inline, user } from "./escape.ts";
import { fitComment, scaled } from "./limits.ts";
import { planMarker } from "./markers.ts";

export { parsePlanMarker } from "./markers.ts";

export interface PlanInput {
  task: Task;
  plan: Plan;
  hash: string;
  version: number;
  /** The command word from jules.yml. */
  command: string;
  /** jules.yml `approvers`: `others` is the four-eyes rule. */
  approvers: "writers" | "others";
  /** jules.yml `approval`; with `auto` the work starts without waiting. Default `required`. */
  approval?: "required" | "auto";
  /** The estimated cost of executing the plan (agent/estimate.ts) and the cost budget it runs under. */
  cost?: { estimateUsd: number | null; budgetUsd: number } | undefined;
}

const MAX_STEPS = 50;
const MAX_FILES = 30;
const MAX_RISKS = 30;

function more(count: number, noun: string): string {
  return `… and ${count} more ${noun}${count === 1 ? "" : "s"}`;
}

function renderStep(step: Plan["steps"][number], index: number, scale: number): string {
  const lines = [`${index + 1}. **${inline(step.title, scaled(300, scale))}**`];
  if (step.detail && step.detail.trim() !== "") lines.push(indent(block(step.detail, scaled(4000, scale, 200)), "   "));
  if (step.files.length > 0) {
    const files = step.files.slice(0, MAX_FILES).map((file) => code(file, scaled(200, scale)));
    if (step.files.length > MAX_FILES) files.push(more(step.files.length - MAX_FILES, "file"));
    lines.push(`   Files: ${files.join(", ")}`);
  }
  return lines.join("\n");
}

function howToProceed(input: PlanInput): string {
  const auto = autoApproval({ approval: input.approval ?? "required", approvers: input.approvers });
  if (auto.applies) {
    return "Approval is automatic in this repository (`approval: auto`), so the work starts now. Reply `/cancel` to stop it.";
  }
  const lines = ["**To go ahead**, reply `/approve` (a note after it is welcome). **To change the plan**, reply `/revise <what to change>`. **To stop**, reply `/cancel`."];
  if (input.approvers === "others") {
    lines.push(`Four-eyes rule (\`approvers: others\`): someone with write access other than ${user(input.task.requestedBy)} must approve.`);
  } else {
    lines.push("Anyone with write access to this repository can approve.");
  }
  if (auto.ignored) lines.push(`⚠️ ${auto.ignored}`);
  return lines.join("\n");
}

/** The estimate next to the repository's budget; past the budget, the work pauses there and can be resumed with more. */
function costLine(cost: NonNullable<PlanInput["cost"]>): string {
  const budget = `$${cost.budgetUsd.toFixed(2)}`;
  if (cost.estimateUsd === null) return `Estimated cost of carrying out this plan: not known, as no price is known for this model (budget ${budget}).`;
  const over =
    cost.estimateUsd > cost.budgetUsd ? " It may not fit the budget: the work pauses when it reaches the budget, keeping what is done, and can be resumed with more." : "";
  return `Estimated cost of carrying out this plan: ~$${cost.estimateUsd.toFixed(2)} (budget ${budget}).${over}`;
}

export function renderPlan(input: PlanInput): string {
  const { plan, hash, version, task } = input;
  return fitComment((scale) => {
    const steps = plan.steps.slice(0, MAX_STEPS).map((step, i) => renderStep(step, i, scale));
    if (plan.steps.length > MAX_STEPS) steps.push(more(plan.steps.length - MAX_STEPS, "step"));
    const risks = plan.risks.slice(0, MAX_RISKS).map((risk) => `- ${inline(risk, scaled(1000, scale))}`);
    if (plan.risks.length > MAX_RISKS) risks.push(`- ${more(plan.risks.length - MAX_RISKS, "item")}`);
    return (
      [
        `${planMarker({ task: task.id, hash, version })}\n### 📋 ${version > 1 ? `Revised plan (v${version})` : "Plan"}`,
        block(plan.summary, scaled(8000, scale, 200)) || "_No summary given._",
        `#### Steps\n${steps.length > 0 ? steps.join("\n") : "_No steps given._"}`,
        `#### Risks and open questions\n${risks.length > 0 ? risks.join("\n") : "None noted."}`,
        `#### How it will be verified\n${block(plan.verification, scaled(4000, scale, 200)) || "_Not stated._"}`,
        ...(input.cost ? [costLine(input.cost)] : []),
        "---",
        howToProceed(input),
        `<sub>Plan v${version} · ${code(hash)} · \`/approve\` always applies to the latest plan. \`/${commandWord(input.command)} status\` shows where the task stands.</sub>`,
      ].join("\n\n") + "\n"
    );
  });
}
