import type { Usage } from "../domain/model.ts";
import type { Price } from "./prices.ts";

/**
 * Counts the usage of one agent phase as it runs: model calls, input and
 * output tokens, estimated cost (from the model's price, or 0 with a note
 * when the price is unknown) and wall time. `snapshot` is the phase's own
 * usage (what Progress and outcomes report; the pipeline adds it to the
 * task's); `taskTotal` adds the usage the task had before, for the budgets
 * that count per task (tokens, cost).
 */

const zero = (): Usage => ({ inputTokens: 0, outputTokens: 0, calls: 0, wallMs: 0, costUsd: 0 });

export class UsageMeter {
  readonly note: string | null;
  readonly #price: Price | null;
  readonly #startedAt: number;
  readonly #before: Usage;
  #inputTokens = 0;
  #outputTokens = 0;
  #calls = 0;

  constructor(options: { before: Usage | null; price: Price | null; model: string; now?: number }) {
    this.#before = options.before ?? zero();
    this.#price = options.price;
    this.#startedAt = options.now ?? Date.now();
    this.note = options.price ? null : `no price is known for ${options.model}; its cost is counted as $0 (set JULES_PRICES)`;
  }

  record(call: { inputTokens: number; outputTokens: number }): void {
    this.#calls++;
    this.#inputTokens += call.inputTokens;
    this.#outputTokens += call.outputTokens;
  }

  /** The model's price per million tokens; null when unknown. */
  get price(): Price | null {
    return this.#price;
  }

  /** The estimated cost of a call of this size at the model's price (0 when the price is unknown). */
  costOf(call: { inputTokens: number; outputTokens: number }): number {
    return this.#price ? (call.inputTokens * this.#price.input + call.outputTokens * this.#price.output) / 1_000_000 : 0;
  }

  /** Milliseconds since this meter (the phase) started. */
  elapsedMs(now = Date.now()): number {
    return now - this.#startedAt;
  }

  /** This phase's usage. */
  snapshot(now = Date.now()): Usage {
    const cost = this.costOf({ inputTokens: this.#inputTokens, outputTokens: this.#outputTokens });
    return {
      inputTokens: this.#inputTokens,
      outputTokens: this.#outputTokens,
      calls: this.#calls,
      wallMs: this.elapsedMs(now),
      costUsd: Math.round(cost * 1e6) / 1e6,
    };
  }

  /** The task's usage including this phase. */
  taskTotal(now = Date.now()): Usage {
    const phase = this.snapshot(now);
    const b = this.#before;
    return {
      inputTokens: b.inputTokens + phase.inputTokens,
      outputTokens: b.outputTokens + phase.outputTokens,
      calls: b.calls + phase.calls,
      wallMs: b.wallMs + phase.wallMs,
      costUsd: Math.round((b.costUsd + phase.costUsd) * 1e6) / 1e6,
    };
  }
}
