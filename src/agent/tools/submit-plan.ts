import { PlanSchema } from "../plan.ts";
import { defineTool } from "./tool.ts";

/**
 * `submit_plan`: ends the planning phase with a structured plan (validated by
 * PlanSchema; a malformed plan is a tool error the model can correct).
 */

export const submitPlanTool = defineTool({
  name: "submit_plan",
  description: "Submit the implementation plan once you have read enough code. Ends planning; a person reviews the plan before any code changes.",
  schema: PlanSchema,
  async execute(plan) {
    const steps = plan.steps.length;
    return { content: "Plan submitted.", summary: `submitted the plan (${steps} step${steps === 1 ? "" : "s"})`, outcome: { kind: "plan", plan } };
  },
});
