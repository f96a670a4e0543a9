import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { ToolLoop } from "../src/agent/loop.ts";
import type { ModelProvider, ModelRequest, ModelResponse } from "../src/agent/providers/provider.ts";
import { finishTool } from "../src/agent/tools/finish.ts";
import { ToolStats } from "../src/agent/tools/stats.ts";
import { defineTool } from "../src/agent/tools/tool.ts";
import { Transcript } from "../src/agent/transcript.ts";
import { UsageMeter } from "../src/agent/usage.ts";

/**
 * The tool loop's own overhead per turn, measured with a zero-latency
 * in-process model that calls a no-op tool every turn and `finish` at the end:
 * the time from a model reply to the next model call (argument parsing and
 * validation, the tool call, bookkeeping, budget and context checks, progress),
 * without and with a transcript on disk. The median and the 95th percentile of
 * the last turns show that the cost does not grow with the conversation.
 * Target: under 5 ms per turn.
 */

const TURNS = 2000;

const noopTool = defineTool({
  name: "noop",
  description: "Does nothing.",
  schema: z.object({ path: z.string(), start_line: z.number().int().optional() }),
  async execute(input) {
    return { content: `ok ${input.path}` };
  },
});

class InstantModel implements ModelProvider {
  readonly name = "openai" as const;
  readonly model = "bench";
  readonly contextWindow = 200_000;
  readonly gaps: number[] = [];
  #turn = 0;
  #returnedAt = 0;

  async complete(_request: ModelRequest): Promise<ModelResponse> {
    if (this.#turn > 0) this.gaps.push(performance.now() - this.#returnedAt);
    this.#turn++;
    const last = this.#turn > TURNS;
    const call = last
      ? { id: `c${this.#turn}`, name: "finish", arguments: JSON.stringify({ summary: "done" }) }
      : { id: `c${this.#turn}`, name: "noop", arguments: JSON.stringify({ path: `src/file-${this.#turn}.ts`, start_line: 1 }) };
    this.#returnedAt = performance.now();
    return { text: "", toolCalls: [call], stopReason: "tool_use", usage: { inputTokens: 1000, outputTokens: 20 } };
  }
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

async function measure(transcript: Transcript | undefined): Promise<number[]> {
  const model = new InstantModel();
  const loop = new ToolLoop({
    phase: "Execution",
    provider: model,
    system: "bench",
    tools: [noopTool, finishTool],
    ctx: { root: tmpdir(), denyPaths: [], mode: "execute", commandTimeoutMs: 1000, stats: new ToolStats() },
    budget: { maxTurns: TURNS + 10, maxTokens: 1e12, maxCostUsd: 1e9, maxWallMs: 600_000 },
    meter: new UsageMeter({ before: null, price: { input: 1, output: 1 }, model: "bench" }),
    nudge: "Call a tool.",
    progress: { activity: () => {}, usage: () => {} },
    transcript,
  });
  await loop.run("Go.");
  return model.gaps;
}

export async function benchAgent(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "openjules-bench-"));
  try {
    await measure(undefined); // warm-up (JIT, module loading)
    const bare = await measure(undefined);
    const transcript = new Transcript(join(dir, "bench.jsonl"), ["sk-bench-secret-value"]);
    const recorded = await measure(transcript);
    await transcript.close();
    const line = (label: string, gaps: number[]) => {
      const tail = gaps.slice(-200);
      return `agent loop overhead per turn ${label}: median ${quantile(gaps, 0.5).toFixed(3)} ms, p95 ${quantile(gaps, 0.95).toFixed(3)} ms, p95 of the last 200 turns ${quantile(tail, 0.95).toFixed(3)} ms (${gaps.length} turns, target < 5 ms)`;
    };
    return [line("(no transcript)", bare), line("(with transcript)", recorded)];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
