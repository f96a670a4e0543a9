import { z } from "zod";
import { PathError } from "../security/paths.ts";
import type { ToolCall } from "./providers/provider.ts";
import { headTail } from "./tools/run.ts";
import { type Tool, type ToolContext, ToolError, type ToolResult } from "./tools/tool.ts";
import { errorMessage } from "../domain/error-message.ts";

/**
 * Runs one tool call the model made, turning every failure into an error
 * result the model can act on: unknown tool, arguments that are not JSON,
 * arguments that fail the schema, and errors thrown by the tool (messages of
 * unexpected errors have the working copy's path replaced by "."). Only a
 * cancellation propagates. Results are capped in size. Every call is raced
 * with the task's abort signal and a deadline (the tool's own, else the
 * context's, else TOOL_DEADLINE_MS), and the tool gets a signal that fires at
 * either: a tool stuck in the kernel or on a child cannot outlive its task or
 * hold the loop; past its deadline it is abandoned with an error result.
 */

export const MAX_RESULT_CHARS = 40_000;
export const TOOL_DEADLINE_MS = 120_000;

class ToolDeadline extends Error {}

/** Settles like `work`, or rejects when `signal` fires (with its reason) or after `ms` (with a ToolDeadline). */
function raced<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined, onDeadline: () => void): Promise<T> {
  work.catch(() => undefined); // an abandoned call may still fail later
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        done();
        onDeadline();
        reject(new ToolDeadline());
      },
      Math.min(ms, 2_147_483_647),
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => (done(), resolve(value)),
      (error: unknown) => (done(), reject(error)),
    );
  });
}

const failure = (message: string): ToolResult => ({ content: `Error: ${message}`, isError: true });

export async function runToolCall(call: ToolCall, tools: ReadonlyMap<string, Tool>, ctx: ToolContext): Promise<ToolResult> {
  const tool = tools.get(call.name);
  if (!tool) return failure(`there is no tool named "${call.name}"; available tools: ${[...tools.keys()].join(", ")}`);

  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch (error) {
    return failure(`the arguments of ${call.name} are not valid JSON (${(error as Error).message}). Resend the call with a single JSON object matching the tool's schema.`);
  }
  const parsed = tool.schema.safeParse(args);
  if (!parsed.success) return failure(`invalid arguments for ${call.name}:\n${z.prettifyError(parsed.error)}\nFix them and call the tool again.`);

  const ms = tool.deadlineMs?.(ctx) ?? ctx.toolDeadlineMs ?? TOOL_DEADLINE_MS;
  const abandon = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, abandon.signal]) : abandon.signal;
  try {
    const work = Promise.resolve().then(() => tool.execute(parsed.data, { ...ctx, signal }));
    const result = await raced(work, ms, ctx.signal, () => abandon.abort(new Error(`${call.name} took too long`)));
    return { ...result, content: headTail(result.content, MAX_RESULT_CHARS) };
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (error instanceof ToolDeadline) {
      return failure(`${call.name} did not finish within ${ms / 1000} s and was abandoned; try a narrower call (a smaller path, a shorter command).`);
    }
    if (error instanceof ToolError || error instanceof PathError) return failure(error.message);
    const message = errorMessage(error);
    return failure(`${call.name} failed: ${message.split(ctx.root).join(".")}`);
  }
}
