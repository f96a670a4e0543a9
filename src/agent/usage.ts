import type { Usage } from "../tasks/model.ts";
import type { Price } from "./prices.ts";

/**
 * Counts a task's usage as the agent works: model calls, input and output
 * tokens, estimated cost (from the model's price, or 0 with a note when the
 * price is unknown) and wall time. It starts from the usage the task already
 * had, so every snapshot is cumulative for the task.
 */

export class UsageMeter {
  readonly note: string | null;
  readonly #price: Price | null;
  readonly #startedAt: number;
  readonly #base: Usage;
  #inputTokens = 0;
  #outputTokens = 0;
  #calls = 0;

  constructor(options: { start: Usage | null; price: Price | null; model: string; now?: number }) {
    this.#base = options.start ?? { inputTokens: 0, outputTokens: 0, calls: 0, wallMs: 0, costUsd: 0 };
    this.#price = options.price;
    this.#startedAt = options.now ?? Date.now();
    this.note = options.price ? null : `no price is known for ${options.model}; its cost is counted as $0 (set JULES_PRICES)`;
  }

  record(call: { inputTokens: number; outputTokens: number }): void {
    this.#calls++;
    this.#inputTokens += call.inputTokens;
    this.#outputTokens += call.outputTokens;
  }

  /** Milliseconds since this meter (the phase) started. */
  elapsedMs(now = Date.now()): number {
    return now - this.#startedAt;
  }

  snapshot(now = Date.now()): Usage {
    const cost = this.#price ? (this.#inputTokens * this.#price.input + this.#outputTokens * this.#price.output) / 1_000_000 : 0;
    return {
      inputTokens: this.#base.inputTokens + this.#inputTokens,
      outputTokens: this.#base.outputTokens + this.#outputTokens,
      calls: this.#base.calls + this.#calls,
      wallMs: this.#base.wallMs + this.elapsedMs(now),
      costUsd: Math.round((this.#base.costUsd + cost) * 1e6) / 1e6,
    };
  }
}
