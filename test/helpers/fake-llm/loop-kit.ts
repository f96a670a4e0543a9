import type { Budget } from "../../../src/agent/budget.ts";
import { type LoopOptions, ToolLoop } from "../../../src/agent/loop.ts";
import type { Progress } from "../../../src/agent/port.ts";
import type { ModelProvider } from "../../../src/agent/providers/provider.ts";
import { executionTools, planningTools } from "../../../src/agent/tools/tool-sets.ts";
import type { ToolContext } from "../../../src/agent/tools/tool.ts";
import type { Transcript } from "../../../src/agent/transcript.ts";
import { UsageMeter } from "../../../src/agent/usage.ts";
import type { Usage } from "../../../src/domain/model.ts";
import { toolContext } from "./workdir.ts";

/** Builds a ToolLoop for a test, with a recording Progress. */

export const BIG_BUDGET: Budget = { maxTurns: 40, maxTokens: 10_000_000, maxCostUsd: 100, maxWallMs: 120_000 };

export class RecordingProgress implements Progress {
  readonly lines: string[] = [];
  readonly usages: Usage[] = [];
  readonly phases: string[] = [];
  activity(line: string): void {
    this.lines.push(line);
  }
  usage(usage: Usage): void {
    this.usages.push(usage);
  }
  phase(phase: "working" | "testing"): void {
    this.phases.push(phase);
  }
}

export interface KitOptions {
  mode?: "plan" | "execute";
  budget?: Partial<Budget>;
  ctx?: Partial<ToolContext>;
  price?: { input: number; output: number } | null;
  transcript?: Transcript;
  signal?: AbortSignal;
  /** The task's usage before this phase. */
  before?: Usage;
  /** Messages to the task and pausing (execution). */
  loop?: Pick<LoopOptions, "messages" | "pause">;
}

export function makeLoop(provider: ModelProvider, root: string, options: KitOptions = {}) {
  const mode = options.mode ?? "plan";
  const progress = new RecordingProgress();
  const ctx = toolContext(root, { mode, ...options.ctx });
  const meter = new UsageMeter({ before: options.before ?? null, price: options.price ?? null, model: provider.model });
  const loop = new ToolLoop({
    phase: mode === "plan" ? "Planning" : "Execution",
    provider,
    system: "You are a test agent.",
    tools: mode === "plan" ? planningTools() : executionTools(),
    ctx,
    budget: { ...BIG_BUDGET, ...options.budget },
    meter,
    nudge: "Call a tool.",
    maxOutputTokens: 1000,
    progress,
    transcript: options.transcript,
    signal: options.signal,
    ...options.loop,
  });
  return { loop, progress, ctx, meter };
}
