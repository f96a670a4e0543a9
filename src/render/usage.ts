/**
 * One line of usage, reused by the status comment and the pull request body:
 * "12,345 tokens in · 2,345 out · 7 model calls · $0.0123 · 1m 05s".
 */
import type { Usage } from "../domain/model.ts";
import { formatCost, formatCount, formatDuration } from "./format.ts";

/** True when there is anything worth showing (a call was made or tokens were counted). */
export function hasUsage(usage: Usage | null | undefined): usage is Usage {
  return !!usage && (usage.calls > 0 || usage.inputTokens > 0 || usage.outputTokens > 0);
}

export function renderUsage(usage: Usage): string {
  const calls = Math.max(0, Math.round(usage.calls));
  return [
    `${formatCount(usage.inputTokens)} tokens in`,
    `${formatCount(usage.outputTokens)} out`,
    `${formatCount(calls)} model ${calls === 1 ? "call" : "calls"}`,
    formatCost(usage.costUsd),
    formatDuration(usage.wallMs),
  ].join(" · ");
}
