import { z } from "zod";
import { defineTool } from "./tool.ts";

/**
 * `finish`: ends the execution phase with a summary of what changed and why,
 * used in the pull request body.
 */

const schema = z.object({
  summary: z.string().min(1).max(10_000).describe("What you changed and why, for the pull request description (Markdown). Mention anything left undone."),
});

export const finishTool = defineTool({
  name: "finish",
  description: "Call when the approved plan is implemented. Ends the work; the summary goes into the pull request.",
  schema,
  async execute(input) {
    return { content: "Finished.", summary: "finished the work", outcome: { kind: "finish", summary: input.summary } };
  },
});
