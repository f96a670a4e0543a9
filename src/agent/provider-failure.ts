import type { Usage } from "../domain/model.ts";
import { AgentError, AUTH_HINT } from "./port.ts";
import type { ProviderError } from "./providers/provider.ts";

/**
 * Turns a provider's final failure into the AgentError a person reads in the
 * status comment: what failed, in which phase, and what to do next.
 */

const HINTS: Record<ProviderError["kind"], string> = {
  rate_limit: "The model provider is limiting requests. Try again later; if it keeps happening, the operator should check the account's rate limits and quota.",
  server: "The model provider had trouble answering. Try again later.",
  timeout: "The model did not answer in time. Try again later; the operator can raise JULES_LLM_TIMEOUT_MS.",
  connection: "The model server could not be reached. Try again later; the operator should check OPENAI_BASE_URL / ANTHROPIC_BASE_URL and the network.",
  context_overflow: "The conversation outgrew the model's context window even after trimming. Narrow the request, or use a model with a larger context window.",
  auth: AUTH_HINT,
  bad_request: "The model provider rejected the request. The operator should check JULES_MODEL and the provider settings; the task's transcript has details.",
};

export function agentErrorFromProvider(error: ProviderError, phase: string, usage: Usage): AgentError {
  return new AgentError(`${phase} stopped: the model call failed: ${error.message}`, HINTS[error.kind], usage);
}
