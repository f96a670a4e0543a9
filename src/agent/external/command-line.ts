import type { AgentPhase, ExternalAgentDefinition } from "../../config/agent-definitions.ts";
import { IN_SANDBOX } from "./channel.ts";

/**
 * The shell line the sandbox runs for one run of an external agent, from
 * its definition's argument list (pure): each placeholder becomes its path
 * or value inside the sandbox, every argument is single-quoted (nothing of
 * the definition or the task is ever read by the shell), the program is
 * exec'd, its standard input is the channel file the definition names (else
 * /dev/null) and, for an agent that reports on standard output, that output
 * goes to the channel's stdout file, which OpenJules reads after the run.
 */

export interface LineValues {
  phase: AgentPhase;
  /** The model the task asked for, else the definition's. */
  model: string | null;
  maxTurns: number;
}

export const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

export function substitute(arg: string, values: LineValues): string {
  const table: Record<string, string> = {
    inbox: IN_SANDBOX.inbox,
    outbox: IN_SANDBOX.outbox,
    workdir: IN_SANDBOX.workdir,
    prompt_file: IN_SANDBOX.prompt,
    outbox_schema: IN_SANDBOX.schema,
    phase: values.phase,
    model: values.model ?? "",
    max_turns: String(values.maxTurns),
  };
  return arg.replace(/\{([a-z_]+)\}/g, (whole, name: string) => table[name] ?? whole);
}

export function commandLine(agent: ExternalAgentDefinition, values: LineValues): string {
  const argv = agent.command[values.phase];
  if (!argv) throw new Error(`the agent ${agent.name} has no command for the ${values.phase} phase`);
  const stdin = agent.stdin === "inbox" ? IN_SANDBOX.inbox : agent.stdin === "prompt_file" ? IN_SANDBOX.prompt : "/dev/null";
  const stdout = agent.reports === "outbox" ? "" : ` > ${quote(IN_SANDBOX.stdout)}`;
  return `exec ${argv.map((a) => quote(substitute(a, values))).join(" ")} < ${quote(stdin)}${stdout}`;
}
