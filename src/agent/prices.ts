import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * The price table used to estimate what a task costs: US dollars per million
 * input and output tokens, by model name prefix (optionally `provider:`
 * qualified), longest prefix winning. The defaults are list prices of common
 * models at the time of writing; the operator overrides or extends them with
 * JULES_PRICES, either JSON text or the path of a JSON file, e.g.
 * `{"gpt-4o": {"input": 2.5, "output": 10}, "openai-compatible:llama3": {"input": 0, "output": 0}}`.
 * Override entries are consulted before the defaults.
 */

export interface Price {
  input: number;
  output: number;
}

export type PriceTable = Record<string, Price>;

const p = (input: number, output: number): Price => ({ input, output });

export const DEFAULT_PRICES: PriceTable = {
  "gpt-5": p(1.25, 10),
  "gpt-5-mini": p(0.25, 2),
  "gpt-5-nano": p(0.05, 0.4),
  "gpt-4.1": p(2, 8),
  "gpt-4.1-mini": p(0.4, 1.6),
  "gpt-4.1-nano": p(0.1, 0.4),
  "gpt-4o": p(2.5, 10),
  "gpt-4o-mini": p(0.15, 0.6),
  o1: p(15, 60),
  o3: p(2, 8),
  "o3-mini": p(1.1, 4.4),
  "o4-mini": p(1.1, 4.4),
  "claude-opus": p(5, 25),
  "claude-opus-4-0": p(15, 75),
  "claude-opus-4-1": p(15, 75),
  "claude-opus-4-20250514": p(15, 75),
  "claude-3-opus": p(15, 75),
  "claude-sonnet": p(3, 15),
  "claude-3-5-sonnet": p(3, 15),
  "claude-3-7-sonnet": p(3, 15),
  "claude-haiku": p(1, 5),
  "claude-3-5-haiku": p(0.8, 4),
  "claude-3-haiku": p(0.25, 1.25),
  "gemini-2.5-pro": p(1.25, 10),
  "gemini-2.5-flash": p(0.3, 2.5),
  "gemini-2.0-flash": p(0.1, 0.4),
};

const TableSchema = z.record(z.string().min(1), z.object({ input: z.number().min(0), output: z.number().min(0) }).strict());

/** Parses JULES_PRICES (JSON text or a file path); throws an Error naming the problem. */
export function parsePriceOverride(value: string | undefined): PriceTable {
  if (value === undefined || value.trim() === "") return {};
  const text = value.trim();
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith("{") ? text : readFileSync(text, "utf8"));
  } catch (error) {
    const what = text.startsWith("{") ? "is not valid JSON" : `names a file that cannot be read as JSON (${text})`;
    throw new Error(`JULES_PRICES ${what}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = TableSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`JULES_PRICES must map model names to {"input": USD per 1M tokens, "output": USD per 1M tokens}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function longestMatch(table: PriceTable, provider: string, model: string): Price | null {
  let best: { length: number; price: Price } | null = null;
  for (const [key, price] of Object.entries(table)) {
    const colon = key.indexOf(":");
    const keyProvider = colon === -1 ? null : key.slice(0, colon);
    const prefix = (colon === -1 ? key : key.slice(colon + 1)).toLowerCase();
    if (keyProvider !== null && keyProvider !== provider) continue;
    if (!model.startsWith(prefix)) continue;
    const length = prefix.length + (keyProvider === null ? 0 : 0.5);
    if (!best || length > best.length) best = { length, price };
  }
  return best?.price ?? null;
}

/** The price of a model: operator entries first, then defaults; null when unknown. */
export function priceFor(override: PriceTable, provider: string, model: string): Price | null {
  const full = model.toLowerCase();
  const bare = full.slice(full.lastIndexOf("/") + 1);
  return longestMatch(override, provider, full) ?? longestMatch(override, provider, bare) ?? longestMatch(DEFAULT_PRICES, provider, bare);
}
