import { runToolCall } from "../../../src/agent/tool-call.ts";
import type { Tool, ToolContext, ToolResult } from "../../../src/agent/tools/tool.ts";

/** Calls a tool the way the loop does: JSON arguments, schema validation, errors as results. */
export const invoke = (tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolResult> =>
  runToolCall({ id: "t1", name: tool.name, arguments: typeof args === "string" ? args : JSON.stringify(args) }, new Map([[tool.name, tool]]), ctx);
