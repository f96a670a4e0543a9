import { commandWord } from "../../render/escape.ts";
import { type Agent, AgentError } from "../port.ts";

/**
 * The agent of a task, chosen by `agent:` in its repository's
 * `.github/jules.yml`: `builtin` (the default), or an external agent the
 * operator defines in JULES_AGENTS. A name the operator does not offer fails
 * the phase in the thread, naming the ones that exist.
 */
export function chooseAgent(builtin: Agent, external: ReadonlyMap<string, Agent>): Agent {
  const pick = (name: string, command: string): Agent => {
    if (name === "builtin") return builtin;
    const found = external.get(name);
    if (found) return found;
    const offered = ["builtin", ...external.keys()].map((n) => `\`${n}\``).join(", ");
    throw new AgentError(
      `.github/jules.yml asks for the agent \`${name}\`, which this OpenJules installation does not offer (it offers ${offered}).`,
      `Set \`agent:\` in .github/jules.yml to one of ${offered}, or ask the operator to define \`${name}\` in JULES_AGENTS; then start the task again with \`/${commandWord(command)}\`.`,
    );
  };
  return {
    plan: async (request) => pick(request.config.agent, request.config.command).plan(request),
    execute: async (request) => pick(request.config.agent, request.config.command).execute(request),
  };
}
