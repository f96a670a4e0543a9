import { z } from "zod";
import type { ToolSpec } from "../providers/provider.ts";
import type { Plan } from "../../domain/model.ts";
import type { ChangeRecord } from "../port.ts";
import type { CommandRunner } from "../command-runner.ts";
import type { ToolStats } from "./stats.ts";

/**
 * What every tool is: a name, a description, a zod input schema (the JSON
 * Schema the model sees is generated from it) and an execute function. Tools
 * report expected failures by throwing ToolError (or PathError); the loop turns
 * those into error results for the model, never into a crash. Terminal tools
 * (submit_plan, answer, finish) return an `outcome` that ends the loop.
 */

export interface ToolContext {
  /** The task's working copy (absolute). */
  root: string;
  /** Glob patterns that may never be written (from jules.yml deny_paths). */
  denyPaths: readonly string[];
  mode: "plan" | "execute";
  runner?: CommandRunner | undefined;
  /** Timeout of one `run` command, in milliseconds. */
  commandTimeoutMs: number;
  stats: ToolStats;
  /** The record of the change: what the editing tools write and what kept commands change (absent: nothing is recorded, so nothing is committed). */
  changes?: ChangeRecord | undefined;
  signal?: AbortSignal | undefined;
  /** How long one call of a tool may take before the loop abandons it (default TOOL_DEADLINE_MS). */
  toolDeadlineMs?: number | undefined;
}

export type LoopOutcome = { kind: "plan"; plan: Plan } | { kind: "answer"; answer: string } | { kind: "finish"; summary: string };

export interface ToolResult {
  content: string;
  isError?: boolean;
  /** One line for the task's event log on what the call did ("read src/a.ts", "edited src/a.ts (+3 −1)"); errors get one from the loop. */
  summary?: string;
  /** Set by terminal tools: the loop stops with this outcome. */
  outcome?: LoopOutcome;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  execute(input: z.output<S>, ctx: ToolContext): Promise<ToolResult>;
  /** This tool's own deadline, when it differs from the context's (e.g. `run`: its command's timeout and a grace). */
  deadlineMs?(ctx: ToolContext): number;
}

/** An expected tool failure; its message goes back to the model as an error result. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

/** Helps type inference: `defineTool({ ... })` checks execute's input against the schema. */
export const defineTool = <S extends z.ZodType>(tool: Tool<S>): Tool => tool as unknown as Tool;

/** The provider-neutral spec sent to the model; `$schema` is dropped (some compatible servers reject it). */
export function toolSpec(tool: Tool): ToolSpec {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.schema, { io: "input" }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}
