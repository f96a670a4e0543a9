import type { PendingMessage, Progress, TaskEvents } from "./port.ts";
import { AgentError } from "./port.ts";
import { type Budget, budgetError, budgetReason, exceeded } from "./budget.ts";
import { formatMessages } from "./context/messages.ts";
import { LoopPaused } from "./pause.ts";
import { Conversation, estimateTokens } from "./conversation.ts";
import { agentErrorFromProvider } from "./provider-failure.ts";
import { type ModelProvider, type ModelResponse, ProviderError, type ToolSpec } from "./providers/provider.ts";
import { runToolCall } from "./tool-call.ts";
import { type LoopOutcome, type Tool, type ToolContext, type ToolResult, toolSpec } from "./tools/tool.ts";
import type { Transcript } from "./transcript.ts";
import type { UsageMeter } from "./usage.ts";
import { errorMessage } from "../domain/error-message.ts";

/**
 * The tool-calling loop of one phase: send the conversation, run the tool
 * calls the model makes (one after another), append their results, and repeat
 * until a terminal tool (submit_plan, answer, finish) succeeds. A reply
 * without a tool call gets one nudge; a second in a row fails the phase. A
 * budget hit, a final provider failure or the phase deadline ends the loop
 * with an AgentError; a cancellation rethrows the caller's abort reason.
 * Before each call the conversation is trimmed when it nears the context
 * window (TRIM_AT of what is left after system prompt, tools and output,
 * down to TRIM_TO, sparing the latest results if it can); on a context
 * overflow it is cut to HARD_TRIM_TO of the room and at most half its size,
 * and the call retried once.
 * `run` may be called again with a follow-up message (e.g. failing tests).
 * Before each call the loop also takes the messages people sent to the task
 * (`messages`) and appends them as one user turn (context/messages.ts). With
 * `pause` (execution only; planning keeps failing on a budget, since a plan
 * half made has nothing to keep), a budget hit, a next call whose estimated
 * cost would go over the cost budget, or a person's pause request throws
 * LoopPaused instead, and the agent keeps the work (pause.ts). Every tool
 * call is written to the task's event log (`events`) as one line: the
 * tool's own summary, or for an error the first line of what it said.
 */

export const TRIM_AT = 0.75;
export const TRIM_TO = 0.5;
export const HARD_TRIM_TO = 0.3;
const KEEP_RECENT = 6;

export interface LoopOptions {
  phase: "Planning" | "Execution";
  provider: ModelProvider;
  system: string;
  tools: Tool[];
  ctx: ToolContext;
  budget: Budget;
  meter: UsageMeter;
  /** Said to the model when it replies without calling a tool. */
  nudge: string;
  maxOutputTokens?: number;
  transcript?: Transcript | undefined;
  progress?: Progress | undefined;
  /** The task's event log: one `tool` event per call. */
  events?: TaskEvents | undefined;
  signal?: AbortSignal | undefined;
  /** Told about every model call (for metrics): tokens and the estimated cost of that call. */
  onModelCall?: ((call: ModelCallRecord) => void) | undefined;
  /** Messages sent to the task, taken before each model call. */
  messages?: (() => Promise<PendingMessage[]>) | undefined;
  /** Pause (LoopPaused) instead of failing on a budget; `requested` says whether a person asked for a pause (its reason). */
  pause?: { requested?: (() => Promise<string | null>) | undefined } | undefined;
}

export interface ModelCallRecord {
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
}

export class ToolLoop {
  readonly conversation = new Conversation();
  turns = 0;
  readonly #o: LoopOptions;
  readonly #tools: Map<string, Tool>;
  readonly #specs: ToolSpec[];
  readonly #fixedTokens: number;
  readonly #maxOutput: number;
  #lastActivity = "";

  constructor(options: LoopOptions) {
    this.#o = options;
    this.#tools = new Map(options.tools.map((t) => [t.name, t]));
    this.#specs = options.tools.map(toolSpec);
    this.#maxOutput = options.maxOutputTokens ?? 8192;
    this.#fixedTokens = estimateTokens(options.system) + estimateTokens(JSON.stringify(this.#specs));
    options.transcript?.record({
      type: "start",
      phase: options.phase,
      provider: options.provider.name,
      model: options.provider.model,
      system: options.system,
      tools: [...this.#tools.keys()],
    });
  }

  async run(userMessage: string): Promise<LoopOutcome> {
    const o = this.#o;
    const deadline = AbortSignal.timeout(Math.max(1, o.budget.maxWallMs - o.meter.elapsedMs()));
    const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
    const ctx: ToolContext = { ...o.ctx, signal };
    this.#push({ role: "user", content: userMessage });
    let nudged = false;
    try {
      for (;;) {
        await this.#beforeCall();
        const response = await this.#call(signal);
        if (response.toolCalls.length === 0) {
          if (nudged) throw this.#stoppedError(response);
          nudged = true;
          const cut = response.stopReason === "max_tokens" ? "Your reply was cut off at the output limit. " : "";
          this.#push({ role: "user", content: `${cut}${o.nudge}` });
          continue;
        }
        nudged = false;
        const outcome = await this.#runTools(response, ctx);
        const activity = o.ctx.stats.summary();
        if (activity !== this.#lastActivity) o.progress?.activity(activity);
        this.#lastActivity = activity;
        if (outcome) {
          o.transcript?.record({ type: "end", phase: o.phase, outcome: outcome.kind });
          return outcome;
        }
      }
    } catch (error) {
      const timedOut = !o.signal?.aborted && deadline.aborted && !(error instanceof AgentError) && !(error instanceof LoopPaused);
      const time = () => (o.pause ? new LoopPaused("time", budgetReason("time", o.budget)) : budgetError("time", o.budget, o.phase, o.meter.snapshot()));
      const final = o.signal?.aborted ? o.signal.reason : timedOut ? time() : error;
      o.transcript?.record({ type: "end", phase: o.phase, outcome: `stopped: ${errorMessage(final)}` });
      throw final;
    }
  }

  /** The budgets, a pause request, then the messages waiting for this turn. */
  async #beforeCall(): Promise<void> {
    const o = this.#o;
    const hit = exceeded(o.budget, { turns: this.turns, usage: o.meter.taskTotal(), elapsedMs: o.meter.elapsedMs() });
    if (hit) throw o.pause ? new LoopPaused(hit, budgetReason(hit, o.budget)) : budgetError(hit, o.budget, o.phase, o.meter.snapshot());
    if (o.pause) {
      if (o.meter.taskTotal().costUsd + this.#nextCallCost() > o.budget.maxCostUsd) {
        throw new LoopPaused("cost", `would go over ${budgetReason("cost", o.budget).replace(/^reached /, "")} with its next model call`);
      }
      const asked = await o.pause.requested?.();
      if (asked != null) throw new LoopPaused("operator", asked);
    }
    const messages = (await o.messages?.()) ?? [];
    if (messages.length > 0) this.#push({ role: "user", content: formatMessages(messages) });
  }

  /** The next call's estimated cost: the conversation as input, and as much output as the calls so far wrote on average. */
  #nextCallCost(): number {
    const phase = this.#o.meter.snapshot();
    const output = phase.calls > 0 ? phase.outputTokens / phase.calls : 0;
    return this.#o.meter.costOf({ inputTokens: this.#fixedTokens + this.conversation.tokens, outputTokens: output });
  }

  #push(message: Parameters<Conversation["push"]>[0]): void {
    this.conversation.push(message);
    if (message.role === "user") this.#o.transcript?.record({ type: "user", content: message.content });
  }

  /** Room for messages: the window minus system prompt, tools and the reply. */
  #room(): number {
    return this.#o.provider.contextWindow - this.#fixedTokens - this.#maxOutput;
  }

  #trim(target: number, keepRecent: number, reason: string): void {
    const elided = this.conversation.trim(target, keepRecent);
    if (elided > 0) this.#o.transcript?.record({ type: "trim", elided, reason });
  }

  async #call(signal: AbortSignal): Promise<ModelResponse> {
    const o = this.#o;
    if (this.conversation.tokens > this.#room() * TRIM_AT) {
      this.#trim(this.#room() * TRIM_TO, KEEP_RECENT, "near the context window");
      // Recent output is kept when possible, but not at the price of an overflow.
      if (this.conversation.tokens > this.#room() * TRIM_AT) this.#trim(this.#room() * TRIM_TO, 2, "near the context window");
    }
    const request = { system: o.system, messages: this.conversation.messages, tools: this.#specs, maxOutputTokens: this.#maxOutput, signal };
    const started = performance.now();
    let response: ModelResponse;
    const estimate = this.#fixedTokens + this.conversation.tokens;
    try {
      try {
        response = await o.provider.complete(request);
      } catch (error) {
        if (!(error instanceof ProviderError && error.kind === "context_overflow")) throw error;
        // The estimate was wrong: cut to a fraction of the room and at least half of what was sent.
        this.#trim(Math.min(this.#room() * HARD_TRIM_TO, this.conversation.tokens / 2), 1, "the provider reported a context overflow");
        response = await o.provider.complete({ ...request, messages: this.conversation.messages });
      }
    } catch (error) {
      if (error instanceof ProviderError) throw agentErrorFromProvider(error, o.phase, o.meter.snapshot());
      throw error;
    }
    this.turns++;
    this.conversation.calibrate(estimate, response.usage.inputTokens);
    const costBefore = o.meter.snapshot().costUsd;
    o.meter.record(response.usage);
    const after = o.meter.snapshot();
    o.progress?.usage(after);
    o.onModelCall?.({ provider: o.provider.name, model: o.provider.model, usage: { ...response.usage, costUsd: after.costUsd - costBefore } });
    const ms = Math.round(performance.now() - started);
    o.transcript?.record({ type: "model", turn: this.turns, ms, text: response.text, toolCalls: response.toolCalls, stopReason: response.stopReason, usage: response.usage });
    this.#push({ role: "assistant", content: response.text, toolCalls: response.toolCalls });
    return response;
  }

  async #runTools(response: ModelResponse, ctx: ToolContext): Promise<LoopOutcome | null> {
    let outcome: LoopOutcome | null = null;
    for (const call of response.toolCalls) {
      if (outcome) {
        // Every call needs a result in the history, even those after the phase ended.
        this.#push({ role: "tool", toolCallId: call.id, name: call.name, content: `Not run: ${outcome.kind} already ended the phase.`, isError: true });
        continue;
      }
      const started = performance.now();
      const result = await runToolCall(call, this.#tools, ctx);
      if (result.isError) ctx.stats.errors++;
      this.#o.transcript?.record({
        type: "tool",
        id: call.id,
        name: call.name,
        ms: Math.round(performance.now() - started),
        isError: result.isError === true,
        result: result.content,
      });
      this.#push({ role: "tool", toolCallId: call.id, name: call.name, content: result.content, isError: result.isError === true });
      this.#o.events?.emit({ type: "tool", tool: call.name, summary: toolSummary(call.name, result) });
      if (result.outcome && !result.isError) outcome = result.outcome;
    }
    return outcome;
  }

  #stoppedError(response: ModelResponse): AgentError {
    const o = this.#o;
    const said = response.text.trim() === "" ? "" : ` Its last words: "${response.text.trim().slice(0, 300)}"`;
    return new AgentError(
      `${o.phase} stopped: the model twice replied without calling a tool, so it never finished the phase.${said}`,
      "Try again, perhaps with a more specific request; if it keeps happening, the model may not support tool calling well (the operator can choose another JULES_MODEL).",
      o.meter.snapshot(),
    );
  }
}

/** The event log's line for one call: the tool's summary, else (an error) the first line of what it said. */
export function toolSummary(name: string, result: ToolResult): string {
  if (result.summary) return result.summary;
  if (!result.isError) return name;
  const first = result.content.replace(/^Error: /, "").split("\n")[0] ?? "";
  return `${name} failed: ${first.length > 200 ? `${first.slice(0, 200)}…` : first}`;
}
