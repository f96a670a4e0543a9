import type { Usage } from "../domain/model.ts";
import type { Price } from "./prices.ts";

/**
 * What carrying out a plan should cost, estimated from planning, before any
 * execution runs (shown in the plan comment next to the repository's budget).
 * Planning read the repository to understand the change; execution reads
 * much the same again and adds its edits, so planning's size is the measure:
 *
 *   context per call  = planning's input tokens per call × 1.5
 *                       (the plan, the edits and command output come on top)
 *   output per call   = planning's output tokens per call, at least 200
 *                       (edits are longer than exploring calls)
 *   calls             = 4 + 3 × steps
 *                       (per step: read, edit, check; plus setup, finish and
 *                       one round of fixing after the tests)
 *   cost              = calls × (context × input price + output × output price)
 *
 * rounded up to the cent. Null when the model's price is unknown or planning
 * made no call. It is an estimate: the cost budget is what bounds the spend,
 * and an execution about to go over it pauses.
 */

export const CONTEXT_GROWTH = 1.5;
export const MIN_OUTPUT_PER_CALL = 200;
export const BASE_CALLS = 4;
export const CALLS_PER_STEP = 3;

export function estimateExecutionCost(input: { planning: Usage; price: Price | null; steps: number }): number | null {
  const { planning, price } = input;
  if (!price || planning.calls <= 0) return null;
  const context = (planning.inputTokens / planning.calls) * CONTEXT_GROWTH;
  const output = Math.max(MIN_OUTPUT_PER_CALL, planning.outputTokens / planning.calls);
  const calls = BASE_CALLS + CALLS_PER_STEP * Math.max(0, input.steps);
  const cost = (calls * (context * price.input + output * price.output)) / 1_000_000;
  return Math.ceil(cost * 100) / 100;
}
