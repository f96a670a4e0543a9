/**
 * Context windows of common models, by longest matching name prefix, used by
 * the loop to trim old tool output before a request overflows. Vendor
 * prefixes as OpenRouter or Gemini write them ("anthropic/claude-...",
 * "models/gemini-...") are ignored. Unknown models (often local ones served by
 * Ollama or vLLM with small windows) get a conservative 32k.
 */

export const DEFAULT_CONTEXT_WINDOW = 32_000;

const WINDOWS: [prefix: string, tokens: number][] = [
  ["gpt-4.1", 1_047_576],
  ["gpt-4o", 128_000],
  ["gpt-4-turbo", 128_000],
  ["gpt-4", 8_192],
  ["gpt-3.5-turbo", 16_385],
  ["gpt-5", 400_000],
  ["o1", 200_000],
  ["o3", 200_000],
  ["o4", 200_000],
  ["claude", 200_000],
  ["gemini-1.5", 1_048_576],
  ["gemini-2", 1_048_576],
  ["gemini", 1_048_576],
  ["deepseek", 128_000],
  ["mistral-large", 128_000],
  ["qwen2.5-coder", 32_768],
  ["llama3.1", 128_000],
  ["llama-3.1", 128_000],
];

export function contextWindowFor(model: string): number {
  const name = model.toLowerCase().slice(model.lastIndexOf("/") + 1);
  let best: [string, number] | undefined;
  for (const entry of WINDOWS) {
    if (name.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1] ?? DEFAULT_CONTEXT_WINDOW;
}
