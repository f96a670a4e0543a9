import type { ExtraBudget } from "../../domain/model.ts";

/**
 * Pure: more budget in words, as `resume` takes it: "$2", "20 turns",
 * "30 minutes" (or "30 min", "1h", "2 hours"), "100k tokens" (k and M
 * suffixes), several joined by commas, "and" or spaces ("$2, 20 turns").
 * An empty text adds nothing.
 */
export type ParsedBudget = { ok: true; extra: ExtraBudget } | { ok: false; message: string };

export const NO_EXTRA: ExtraBudget = { turns: 0, tokens: 0, costUsd: 0, minutes: 0 };

/** One amount: `$2`, or a number with an optional k/M multiplier and its unit. */
const ITEM = /\s*(?:\$\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:([km])\s+(?=tokens?\b)|([km])(?=tokens?\b))?\s*([a-z]+)?)\s*/iy;

export function parseExtraBudget(text: string): ParsedBudget {
  const extra = { ...NO_EXTRA };
  const words = text.replace(/,|\+|\band\b/gi, " ").trim();
  ITEM.lastIndex = 0;
  while (ITEM.lastIndex < words.length) {
    const at = ITEM.lastIndex;
    const m = ITEM.exec(words);
    if (!m || m.index !== at || ITEM.lastIndex === at) return bad(words.slice(at));
    if (m[1] !== undefined) {
      extra.costUsd += Number(m[1]);
      continue;
    }
    const multiplier = (m[3] ?? m[4] ?? "").toLowerCase();
    const value = Number(m[2]) * (multiplier === "k" ? 1_000 : multiplier === "m" ? 1_000_000 : 1);
    const unit = UNITS[(m[5] ?? "").toLowerCase()];
    if (!unit) return bad(m[0].trim());
    if (unit === "tokens") extra.tokens += Math.round(value);
    else if (unit === "turns") extra.turns += Math.round(value);
    else if (unit === "hours") extra.minutes += value * 60;
    else if (unit === "minutes") extra.minutes += value;
    else extra.costUsd += value;
  }
  return { ok: true, extra };
}

const UNITS: Record<string, "turns" | "tokens" | "minutes" | "hours" | "usd" | undefined> = {
  turn: "turns",
  turns: "turns",
  token: "tokens",
  tokens: "tokens",
  m: "minutes",
  min: "minutes",
  mins: "minutes",
  minute: "minutes",
  minutes: "minutes",
  h: "hours",
  hour: "hours",
  hours: "hours",
  usd: "usd",
  dollar: "usd",
  dollars: "usd",
};

function bad(part: string): ParsedBudget {
  return { ok: false, message: `"${part.slice(0, 40)}" is not a budget: write "$2", "20 turns", "30 minutes" or "100k tokens" (several separated by commas).` };
}

export function addBudgets(a: ExtraBudget | null, b: ExtraBudget): ExtraBudget {
  const base = a ?? NO_EXTRA;
  return { turns: base.turns + b.turns, tokens: base.tokens + b.tokens, costUsd: base.costUsd + b.costUsd, minutes: base.minutes + b.minutes };
}

/** "$2.00, 20 turns": the non-zero parts in words. */
export function budgetWords(extra: ExtraBudget): string {
  const words = [
    extra.costUsd ? `$${extra.costUsd.toFixed(2)}` : null,
    extra.turns ? `${extra.turns} turns` : null,
    extra.tokens ? `${extra.tokens.toLocaleString("en-US")} tokens` : null,
    extra.minutes ? `${extra.minutes} minutes` : null,
  ].filter((w): w is string => w !== null);
  return words.join(", ");
}
