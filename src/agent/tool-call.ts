import { z } from "zod";
import { PathError } from "../security/paths.ts";
import type { ToolCall } from "./providers/provider.ts";
import { headTail } from "./tools/run.ts";
import { type Tool, type ToolContext, ToolError, type ToolResult } from "./tools/tool.ts";

/**
 * Runs one tool call the model made, turning every failure into an error
 * result the model can act on: unknown tool, arguments that are not JSON,
 * arguments that fail the schema, and errors thrown by the tool (messages of
 * unexpected errors have the working copy's path replaced by "."). Only a
 * cancellation propagates. Results are capped in size.
 */

export const MAX_RESULT_CHARS = 40_000;

const failure = (message: string): ToolResult => ({ content: `Error: ${message}`, isError: true });

export async function runToolCall(call: ToolCall, tools: ReadonlyMap<string, Tool>, ctx: ToolContext): Promise<ToolResult> {
  const tool = tools.get(call.name);
  if (!tool) return failure(`there is no tool named "${call.name}"; available tools: ${[...tools.keys()].join(", ")}`);

  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch (error) {
    return failure(
      `the arguments of ${call.name} are not valid JSON (${(error as Error).message}). Resend the call with a single JSON object matching the tool's schema.`,
    );
  }
  const parsed = tool.schema.safeParse(args);
  if (!parsed.success) return failure(`invalid arguments for ${call.name}:\n${z.prettifyError(parsed.error)}\nFix them and call the tool again.`);

  try {
    const result = await tool.execute(parsed.data, ctx);
    return { ...result, content: headTail(result.content, MAX_RESULT_CHARS) };
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (error instanceof ToolError || error instanceof PathError) return failure(error.message);
    const message = error instanceof Error ? error.message : String(error);
    return failure(`${call.name} failed: ${message.split(ctx.root).join(".")}`);
  }
}
