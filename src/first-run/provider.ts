/**
 * The first run's second step: the model provider form (provider, model, API
 * key, base URL) read into the .env lines it sets, or the problems to show.
 * `none` starts without an agent (a task then says so in its thread). The
 * key is never echoed back: a form shown again with problems leaves it empty.
 */

export const PROVIDERS = ["openai", "anthropic", "openai-compatible", "none"] as const;
export type ProviderChoice = (typeof PROVIDERS)[number];

export interface ProviderForm {
  provider: string;
  model: string;
  apiKey: string;
  baseUrl: string;
}

export type ProviderResult = { ok: true; updates: Record<string, string> } | { ok: false; problems: string[] };

const MODEL = /^[A-Za-z0-9._:/@+-]{1,200}$/;
const KEY = /^[\x21-\x7e]{1,1000}$/;

export function providerUpdates(form: ProviderForm): ProviderResult {
  const provider = PROVIDERS.find((p) => p === form.provider);
  if (!provider) return { ok: false, problems: ["Choose a provider: OpenAI, Anthropic, an OpenAI-compatible endpoint, or none for now."] };
  if (provider === "none") return { ok: true, updates: { JULES_PROVIDER: "none" } };
  const problems: string[] = [];
  const model = form.model.trim();
  const apiKey = form.apiKey.trim();
  const baseUrl = form.baseUrl.trim().replace(/\/+$/, "");
  if (!MODEL.test(model)) problems.push("Model: the model's name, e.g. gpt-4.1, claude-sonnet-4-6 or llama3.1:8b (letters, digits and . _ : / @ + -).");
  if (apiKey !== "" && !KEY.test(apiKey)) problems.push("API key: paste the key alone, without spaces or line breaks.");
  if (apiKey === "" && provider !== "openai-compatible") problems.push(`API key: ${provider === "openai" ? "OpenAI" : "Anthropic"} needs one.`);
  if (baseUrl !== "" && !isHttpUrl(baseUrl)) problems.push("Base URL: an http:// or https:// address, e.g. http://localhost:11434/v1 for Ollama.");
  if (baseUrl === "" && provider === "openai-compatible") problems.push("Base URL: an OpenAI-compatible endpoint needs its address, e.g. http://localhost:11434/v1 for Ollama.");
  if (problems.length > 0) return { ok: false, problems };
  const updates: Record<string, string> = { JULES_PROVIDER: provider, JULES_MODEL: model };
  if (apiKey !== "") updates[provider === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"] = apiKey;
  if (baseUrl !== "") updates[provider === "anthropic" ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL"] = baseUrl;
  return { ok: true, updates };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}
