/**
 * Tasks on the requester's own provider key (JULES_ALLOW_USER_KEYS; the key
 * saved on the web app's Settings page, src/accounts/keys.ts).
 *
 * - At a start (requestTask, every face): a person (a GitHub user, or a
 *   signed-in operator of JULES_OPERATORS; never the operator token or the
 *   local CLI) who saved a key for the provider the task will use (the
 *   repository's `provider`, else JULES_PROVIDER) gets a task that records
 *   it (`task.ownKey`: whose, which provider, the last four). A retry by a
 *   person of a task that ran on an own key runs on the retrier's key for
 *   that provider, when they saved one, else on the operator's.
 * - When a phase runs (planning, execution), the key is opened from the
 *   store and given to the agent with the request, and it joins the
 *   secrets of that run: redacted from the transcript, the failure, the
 *   event log and the status, and scanned for in what delivery sends to
 *   GitHub. Errors leaving the agent have it redacted (they are logged).
 * - A key deleted (or made unreadable by a new JULES_SECRET_KEY, or keys
 *   turned off) before the phase runs: the phase fails and says so; it never
 *   falls back to the operator's key on its own.
 */
import { type Agent, AgentError, AUTH_HINT, type TaskKey } from "../agent/port.ts";
import type { Caller } from "../domain/actor.ts";
import type { OwnKeyRef } from "../domain/model.ts";
import { redactSecrets } from "../security/redact.ts";
import type { TaskDeps } from "./deps.ts";

/** A user's saved key, opened: the key, or why there is none (never saved or deleted; sealed under another JULES_SECRET_KEY). */
export type OpenedKey = { found: true; apiKey: string; last4: string } | { found: false; reason: "missing" | "unreadable" };

/** The users' saved keys, as the pipeline sees them (src/accounts/keys.ts: createOwnKeys); absent when keys are off. */
export interface OwnKeys {
  /** JULES_PROVIDER: the provider of a task whose repository names none (null: none configured). */
  defaultProvider: string | null;
  /** The last four characters of `login`'s saved key for `provider`, or null. */
  saved(login: string, provider: string): Promise<string | null>;
  open(login: string, provider: string): Promise<OpenedKey>;
}

/** The person behind a caller, whose own keys count: null for the operator token and the local CLI. */
const personOf = (caller: Caller): string | null => (caller.principal.kind === "user" ? caller.principal.login : (caller.principal.login ?? null));

/** The key a new task of `caller` runs on: theirs for `provider` (the repository's choice; JULES_PROVIDER when undefined), or null. */
export async function ownKeyAtStart(deps: Pick<TaskDeps, "ownKeys">, caller: Caller, provider: string | undefined): Promise<OwnKeyRef | null> {
  const login = personOf(caller)?.toLowerCase();
  const chosen = provider ?? deps.ownKeys?.defaultProvider;
  if (!deps.ownKeys || !login || !chosen) return null;
  const last4 = await deps.ownKeys.saved(login, chosen);
  return last4 === null ? null : { login, provider: chosen, last4 };
}

/**
 * The dependencies one phase of a task runs with: unchanged for a task on the
 * operator's keys; for one on an own key, its agent runs on that key and the
 * key is one more secret of the run. Read before the phase, so the task
 * record shows the key's last four as it is now (a key saved again).
 */
export async function withOwnKey(deps: TaskDeps, taskId: string): Promise<TaskDeps> {
  if (!deps.agent) return deps;
  const task = await deps.store.get(taskId);
  const ref = task?.ownKey;
  if (!ref) return deps;
  const opened: OpenedKey = deps.ownKeys ? await deps.ownKeys.open(ref.login, ref.provider) : { found: false, reason: "missing" };
  if (!opened.found) return { ...deps, agent: refusing(keyProblem(ref, opened.reason, deps.ownKeys !== undefined)) };
  if (opened.last4 !== ref.last4) await deps.store.update(taskId, { ownKey: { ...ref, last4: opened.last4 } });
  const key: TaskKey = { provider: ref.provider, apiKey: opened.apiKey };
  return { ...deps, secrets: [...deps.secrets, opened.apiKey], agent: onKey(deps.agent, key) };
}

/** The agent with the key in every request; nothing it throws carries the key. */
function onKey(agent: Agent, key: TaskKey): Agent {
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw withoutKey(error, key);
    }
  };
  return {
    plan: (request) => guarded(() => agent.plan({ ...request, ownKey: key })),
    execute: (request) => guarded(() => agent.execute({ ...request, ownKey: key })),
  };
}

/** The error without the key; a refused key is the requester's to fix, not the operator's. */
function withoutKey(error: unknown, key: TaskKey): unknown {
  const clean = (text: string) => redactSecrets(text, [key.apiKey]);
  if (error instanceof AgentError) {
    const hint =
      error.hint === AUTH_HINT
        ? `The provider refused your saved ${key.provider} key: save a valid one on the Settings page (or delete it to run on the operator's keys), then retry the task.`
        : clean(error.hint);
    return new AgentError(clean(error.message), hint, error.usage, error.output === undefined ? undefined : clean(error.output));
  }
  if (error instanceof Error) {
    error.message = clean(error.message);
    if (error.stack) error.stack = clean(error.stack);
  }
  return error;
}

/** Why the task cannot run on its key, in words the person can act on. */
function keyProblem(ref: OwnKeyRef, reason: "missing" | "unreadable", keysOn: boolean): AgentError {
  const again = "Save the key again on the Settings page and retry the task (it then runs on your key), or retry it without a saved key to run on the operator's.";
  if (!keysOn)
    return new AgentError(
      `This task was started to run on ${ref.login}'s own ${ref.provider} key, but own keys are off on this server now (JULES_ALLOW_USER_KEYS).`,
      "Retry the task: it then runs on the operator's keys.",
    );
  if (reason === "unreadable")
    return new AgentError(`${ref.login}'s saved ${ref.provider} key can no longer be opened on this server (JULES_SECRET_KEY changed since it was saved).`, again);
  return new AgentError(`This task was started to run on ${ref.login}'s own ${ref.provider} key (••••${ref.last4}), but that saved key was deleted.`, again);
}

/** An agent that fails each phase with `problem` (the pipeline turns it into the task's failure). */
function refusing(problem: AgentError): Agent {
  const refuse = () => Promise.reject(problem);
  return { plan: refuse, execute: refuse };
}
