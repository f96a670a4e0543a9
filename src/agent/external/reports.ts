import type { AgentReports } from "../../config/agent-definitions.ts";
import type { Plan } from "../../domain/model.ts";

/**
 * What an agent that does not write the outbox itself reported on its
 * standard output, in the format its definition names (JULES_AGENTS
 * `reports`), pure: Claude Code's `--output-format json` result object, Codex
 * CLI's `exec --json` event lines, aider's text with its "Tokens: … Cost: …"
 * lines, or plain text. Gives the final message, what it used (when the
 * format says), and whether the agent itself said it failed. The final
 * message may end with the outbox JSON (the prompt asks for it); else its
 * text stands for the summary, or for the plan when planning.
 */

export interface Reported {
  /** The agent's final message. */
  text: string;
  usage: { inputTokens?: number; outputTokens?: number; costUsd?: number; turns?: number };
  /** Set when the agent's own report says it failed. */
  error?: string;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

function jsonLines(stdout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of stdout.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(t);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    } catch {
      // not an event line
    }
  }
  return out;
}

/** Claude Code `-p --output-format json`: one result object (`result`, `is_error`, `usage`, `total_cost_usd`, `num_turns`). */
function claudeJson(stdout: string): Reported {
  let result: Record<string, unknown> | undefined;
  try {
    const whole: unknown = JSON.parse(stdout);
    if (typeof whole === "object" && whole !== null) result = whole as Record<string, unknown>;
  } catch {
    result = jsonLines(stdout).findLast((o) => o.type === "result");
  }
  if (!result) return { text: stdout.trim(), usage: {}, error: "its output is not Claude Code's JSON result (run it with --output-format json)" };
  const usage = (result.usage ?? {}) as Record<string, unknown>;
  const text = typeof result.result === "string" ? result.result : "";
  const reported: Reported = {
    text,
    usage: {
      inputTokens: num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + num(usage.cache_read_input_tokens),
      outputTokens: num(usage.output_tokens),
      costUsd: num(result.total_cost_usd),
      turns: num(result.num_turns),
    },
  };
  if (result.is_error === true || (typeof result.subtype === "string" && result.subtype !== "success"))
    reported.error = `Claude Code ended with ${String(result.subtype ?? "an error")}${text ? `: ${text}` : ""}`;
  return reported;
}

/** Codex CLI `exec --json`: `item.completed` events (the last `agent_message` is the answer), `turn.completed` with usage, `turn.failed` / `error`. */
function codexJsonl(stdout: string): Reported {
  const events = jsonLines(stdout);
  let text = "";
  let inputTokens = 0;
  let outputTokens = 0;
  let turns = 0;
  let error: string | undefined;
  for (const event of events) {
    const item = event.item as Record<string, unknown> | undefined;
    if (event.type === "item.completed" && item && (item.type === "agent_message" || item.item_type === "assistant_message") && typeof item.text === "string") text = item.text;
    if (event.type === "turn.completed") {
      const usage = (event.usage ?? {}) as Record<string, unknown>;
      inputTokens += num(usage.input_tokens);
      outputTokens += num(usage.output_tokens);
      turns++;
    }
    if (event.type === "turn.failed" || event.type === "error") {
      const e = (event.error ?? event) as Record<string, unknown>;
      error = `Codex reported an error: ${typeof e.message === "string" ? e.message : JSON.stringify(e).slice(0, 500)}`;
    }
  }
  const reported: Reported = { text, usage: { inputTokens, outputTokens, turns } };
  if (error) reported.error = error;
  return reported;
}

const AIDER_TOKENS = /^Tokens:\s*([\d.]+)(k?)\s+sent,.*?([\d.]+)(k?)\s+received\.(?:\s*Cost:\s*\$([\d.]+)\s+message,\s*\$([\d.]+)\s+session\.)?\s*$/;

const tokens = (n: string | undefined, k: string | undefined) => Math.round(Number(n ?? 0) * (k ? 1000 : 1));

/** aider's text: its "Tokens: 2.3k sent, 150 received. Cost: $0.01 message, $0.02 session." lines are usage, the rest is the message. */
function aiderText(stdout: string): Reported {
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let turns = 0;
  const kept: string[] = [];
  for (const line of stdout.split("\n")) {
    const m = AIDER_TOKENS.exec(line.trim());
    if (!m) {
      kept.push(line);
      continue;
    }
    inputTokens += tokens(m[1], m[2]);
    outputTokens += tokens(m[3], m[4]);
    if (m[6] !== undefined) costUsd = Number(m[6]);
    turns++;
  }
  return { text: kept.join("\n").trim(), usage: { inputTokens, outputTokens, costUsd, turns } };
}

export function parseReport(format: Exclude<AgentReports, "outbox">, stdout: string): Reported {
  switch (format) {
    case "claude-json":
      return claudeJson(stdout);
    case "codex-jsonl":
      return codexJsonl(stdout);
    case "aider":
      return aiderText(stdout);
    case "text":
      return { text: stdout.trim(), usage: {} };
  }
}

/** The outbox JSON at the end of a final message: the last ```json block, or the whole message when it is one object. */
export function outboxInText(text: string): unknown {
  const blocks = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)\n\s*```/g)];
  const candidates = [...blocks.map((b) => b[1] as string).reverse(), text.trim()];
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === "object" && value !== null && !Array.isArray(value) && "status" in value) return value;
    } catch {
      // not JSON
    }
  }
  return null;
}

/** A plan from an agent's plain-text answer: its text as the summary, its numbered or bulleted lines as the steps. */
export function planFromText(text: string): Plan {
  const clean = text.trim();
  const steps = clean
    .split("\n")
    .map((line) => /^\s*(?:\d+[.)]|[-*])\s+(.+)$/.exec(line)?.[1]?.trim())
    .filter((t): t is string => Boolean(t))
    .slice(0, 30)
    .map((title) => ({ title: title.slice(0, 200), files: [] }));
  return {
    summary: clean.slice(0, 4000) || "(the agent gave no summary)",
    steps: steps.length > 0 ? steps : [{ title: "Carry out the change the summary describes", files: [] }],
    risks: [],
    verification: "OpenJules runs the repository's tests after the change.",
  };
}
