import { z } from "zod";
import { defineTool } from "./tool.ts";

/**
 * `answer`: ends the planning phase without a plan, for requests that need no
 * code change (a question about the code). The answer is posted in the thread.
 */

const schema = z.object({
  answer: z.string().min(1).max(20_000).describe("The answer, in Markdown, citing files (path:line) where useful."),
});

export const answerTool = defineTool({
  name: "answer",
  description: "Answer the request directly instead of submitting a plan, only when it is a question that needs no code change. Ends planning.",
  schema,
  async execute(input) {
    return { content: "Answer submitted.", summary: "answered without a code change", outcome: { kind: "answer", answer: input.answer } };
  },
});
