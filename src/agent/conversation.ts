import type { ChatMessage } from "./providers/provider.ts";

/**
 * The messages of one agent phase, with a running token estimate so the loop
 * can keep the conversation inside the model's context window without
 * re-measuring it every turn. Tokens are estimated at 4 characters each (the
 * usual figure for English and code with OpenAI and Anthropic tokenizers; the
 * loop keeps a wide margin), scaled by what the provider actually reported
 * when that is more. Trimming replaces the content of the oldest tool results
 * (and oversized arguments of old tool calls) with a short note, oldest
 * first, never touching the most recent ones.
 */

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const sizeOf = (m: ChatMessage): number => estimateTokens(m.content) + (m.role === "assistant" ? m.toolCalls.reduce((n, c) => n + estimateTokens(c.arguments) + 8, 0) : 8);

const LARGE_ARGUMENTS = 2000;

export class Conversation {
  readonly messages: ChatMessage[] = [];
  #sizes: number[] = [];
  #total = 0;
  /** Messages before this index have been considered for trimming already. */
  #trimmedUpTo = 0;
  #scale = 1;

  push(message: ChatMessage): void {
    const size = sizeOf(message);
    this.messages.push(message);
    this.#sizes.push(size);
    this.#total += size;
  }

  /** Estimated tokens of the messages (system prompt and tools not included). */
  get tokens(): number {
    return Math.ceil(this.#total * this.#scale);
  }

  /** Learns from the provider's count of the same request (never scales below 1, nor above 2). */
  calibrate(estimatedInput: number, reportedInput: number): void {
    if (estimatedInput > 0 && reportedInput > 0) this.#scale = Math.min(2, Math.max(1, reportedInput / estimatedInput));
  }

  /**
   * Elides old tool output, oldest first, until the estimate is at most
   * `target` tokens, keeping the last `keepRecent` messages intact. Returns how
   * many messages were elided.
   */
  trim(target: number, keepRecent: number): number {
    const limit = this.messages.length - keepRecent;
    let elided = 0;
    let i = this.#trimmedUpTo;
    for (; i < limit && this.tokens > target; i++) {
      const replacement = elide(this.messages[i]!);
      if (!replacement) continue;
      const size = sizeOf(replacement);
      this.#total += size - this.#sizes[i]!;
      this.#sizes[i] = size;
      this.messages[i] = replacement;
      elided++;
    }
    this.#trimmedUpTo = i;
    return elided;
  }
}

function elide(message: ChatMessage): ChatMessage | null {
  if (message.role === "tool") {
    if (message.content.length < 200) return null;
    const note = `[${message.name} output elided to save context (${message.content.length} characters); call the tool again if you still need it]`;
    return { ...message, content: note };
  }
  if (message.role === "assistant" && message.toolCalls.some((c) => c.arguments.length > LARGE_ARGUMENTS)) {
    const toolCalls = message.toolCalls.map((c) =>
      c.arguments.length > LARGE_ARGUMENTS ? { ...c, arguments: JSON.stringify({ elided: `${c.arguments.length} characters of arguments removed to save context` }) } : c,
    );
    return { ...message, toolCalls };
  }
  return null;
}
