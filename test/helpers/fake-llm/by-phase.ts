/**
 * A deterministic model for many agents calling one fake server in any order
 * (several worker processes, several tasks at once): instead of a script
 * consumed in order, each request is answered from what it says. A planning
 * request (its tools include `submit_plan`) gets the plan at once; an
 * execution request (its tools include `finish`) gets the edit first and
 * `finish` once the conversation shows the edit was made. Both wire formats
 * are read (OpenAI Chat Completions and Anthropic Messages). A request whose
 * text contains a chosen marker can be delayed, to hold a task mid-execution.
 */
import { call, type Step } from "./script.ts";
import type { Responder, WireFormat } from "./server.ts";

export interface PhaseResponderOptions {
  /** The plan `submit_plan` is called with. */
  plan: { summary: string; steps: { title: string; files: string[] }[]; risks: string[]; verification: string };
  /** The `edit_file` call execution makes. */
  edit: { path: string; old_string: string; new_string: string };
  summary: string;
  /** Delay for an execution request: return milliseconds (0: none); `text` is the whole request body as JSON. */
  executionDelayMs?: (text: string) => number;
}

/** Names of the tools a request offers. */
export function toolNames(format: WireFormat, body: any): string[] {
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  return tools.map((t) => (format === "openai" ? t?.function?.name : t?.name)).filter((n): n is string => typeof n === "string");
}

/** Names of the tools the model already called in this conversation. */
export function calledTools(format: WireFormat, body: any): string[] {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  return messages
    .filter((m) => m?.role === "assistant")
    .flatMap((m) =>
      format === "openai"
        ? (m.tool_calls ?? []).map((c: any) => c?.function?.name)
        : (Array.isArray(m.content) ? m.content : []).filter((b: any) => b?.type === "tool_use").map((b: any) => b?.name),
    )
    .filter((n): n is string => typeof n === "string");
}

export type Phase = "planning" | "execution" | "other";

export function phaseOf(format: WireFormat, body: any): Phase {
  const tools = toolNames(format, body);
  return tools.includes("submit_plan") ? "planning" : tools.includes("finish") ? "execution" : "other";
}

export function phaseResponder(options: PhaseResponderOptions): Responder {
  return ({ format, body }): Step => {
    const phase = phaseOf(format, body);
    if (phase === "planning") return call("submit_plan", options.plan);
    if (phase === "other") return { kind: "fail", status: 400, message: "fake-llm by-phase: the request offers neither submit_plan nor finish" };
    if (calledTools(format, body).includes("edit_file")) return call("finish", { summary: options.summary });
    const delayMs = options.executionDelayMs?.(JSON.stringify(body)) ?? 0;
    return call("edit_file", options.edit, delayMs > 0 ? { delayMs } : {});
  };
}
