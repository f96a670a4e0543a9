import { z } from "zod";
import { parseAllowEntry } from "../security/egress-allowlist.ts";
import { ENV_NAME, reservedEnvName } from "./env-names.ts";

/**
 * JULES_AGENTS: the external coding agents an operator offers (Claude Code,
 * Codex CLI, aider, a script of their own), each a command line run in the
 * task's sandbox, which a repository picks with `agent: <name>` in
 * `.github/jules.yml`. JSON text, or a path to a JSON file holding it: a
 * list of definitions with a `name`, or an object from name to definition.
 * Parsed once at start-up (settings.ts) into typed definitions: every problem
 * names the entry and the field, the host variables a definition takes its
 * keys from are read there (a missing one is a start-up error), and the
 * secret ones join the process's one secret list, so they are redacted
 * wherever anything is shown. Pure but for the environment it is given. The
 * backend that runs them is src/agent/external/.
 */

export const AGENT_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const AGENT_PHASES = ["plan", "execute"] as const;
export type AgentPhase = (typeof AGENT_PHASES)[number];

/** Placeholders an argument may hold; each is replaced by its path or value inside the sandbox (src/agent/external/command-line.ts). */
export const PLACEHOLDERS = ["inbox", "outbox", "workdir", "prompt_file", "outbox_schema", "phase", "model", "max_turns"] as const;

/** How an agent reports its result and its usage (tokens, cost). */
export const REPORTS = ["outbox", "claude-json", "codex-jsonl", "aider", "text"] as const;
export type AgentReports = (typeof REPORTS)[number];

const PLACEHOLDER = /\{([a-z_]+)\}/g;

const Argv = z
  .array(z.string().min(1, "an argument cannot be empty"))
  .min(1, "needs at least the program to run")
  .max(200)
  .superRefine((args, ctx) => {
    args.forEach((arg, i) => {
      for (const [, name] of arg.matchAll(PLACEHOLDER))
        if (!(PLACEHOLDERS as readonly string[]).includes(name as string))
          ctx.addIssue({ code: "custom", path: [i], message: `unknown placeholder {${name}}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}` });
      if (arg.includes("\0")) ctx.addIssue({ code: "custom", path: [i], message: "an argument cannot hold a NUL character" });
    });
  })
  .describe("The command line as a list of arguments (no shell): the program, then its arguments, with placeholders such as {prompt_file}.");

const EnvValue = z.union([
  z.string().describe("A literal value (not a secret: it may be shown)."),
  z
    .object({
      from: z.string().regex(ENV_NAME, "the name of a host environment variable").describe("The host environment variable the value is read from, at start-up."),
      secret: z.boolean().default(true).describe("A secret (the default): passed to the agent's process only, never on a command line, and redacted everywhere."),
    })
    .strict(),
]);

export const AgentDefinitionSchema = z
  .object({
    name: z.string().regex(AGENT_NAME, "lower-case letters, digits and dashes, starting with a letter (at most 32)").optional(),
    description: z.string().max(500).optional().describe("One line for people: what this agent is."),
    command: z
      .union([Argv, z.object({ plan: Argv.optional(), execute: Argv.optional() }).strict()])
      .describe("The command line, or one per phase: { plan: [...], execute: [...] }."),
    stdin: z.enum(["{prompt_file}", "{inbox}"]).optional().describe("A channel file given to the command as its standard input; default none (/dev/null)."),
    env: z.record(z.string(), EnvValue).default({}).describe("Variables of the agent's process: literal values, or { from: HOST_VARIABLE, secret: true }."),
    network: z
      .array(z.string().min(1))
      .max(50)
      .default([])
      .describe("The only hosts (host or host:port) the agent may reach, through OpenJules's egress proxy; empty: no network at all."),
    phases: z
      .array(z.enum(AGENT_PHASES))
      .min(1)
      .refine((p) => new Set(p).size === p.length, "lists a phase twice")
      .default(["plan", "execute"])
      .describe("The phases the agent does; a phase it does not do is done by the built-in agent."),
    timeout_seconds: z.number().int().positive().max(86_400).optional().describe("Wall time of one run of the agent; the task's time budget (max_minutes) caps it."),
    reports: z.enum(REPORTS).default("outbox").describe("How the agent reports its result and usage: the outbox file, or its standard output in one of the formats named."),
    model: z.string().min(1).max(200).optional().describe("The model the {model} placeholder stands for when the task names none."),
    fix_rounds: z.number().int().min(0).max(5).default(1).describe("How many times the agent is run again when the tests fail after its change."),
  })
  .strict();

export interface ExternalAgentDefinition {
  name: string;
  description: string | undefined;
  /** The command line of each phase the agent does. */
  command: Partial<Record<AgentPhase, string[]>>;
  stdin: "prompt_file" | "inbox" | null;
  /** Variables shown as they are: literal values, and host variables marked `secret: false`. */
  env: Record<string, string>;
  /** Secret variables, read from the host at start-up: given to the agent's process only, through a file descriptor. */
  secretEnv: Record<string, string>;
  /** host or host:port entries, normalized. */
  network: string[];
  phases: AgentPhase[];
  timeoutMs: number | null;
  reports: AgentReports;
  model: string | null;
  fixRounds: number;
}

function where(index: number, name: string | undefined): string {
  return name ? `agent "${name}"` : `entry ${index + 1}`;
}

const fieldPath = (path: readonly PropertyKey[]) => (path.length > 0 ? `${path.map(String).join(".")}: ` : "");

/** One definition, typed and resolved against the host environment; problems name the entry and the field. */
function resolveDefinition(raw: unknown, index: number, keyName: string | undefined, env: Record<string, string | undefined>, problems: string[]): ExternalAgentDefinition | null {
  const named = typeof raw === "object" && raw !== null && "name" in raw && typeof raw.name === "string" ? raw.name : keyName;
  const label = where(index, named);
  const parsed = AgentDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`JULES_AGENTS: ${label}: ${fieldPath(issue.path)}${issue.message}`);
    return null;
  }
  const d = parsed.data;
  const name = keyName ?? d.name;
  const before = problems.length;
  if (!name) problems.push(`JULES_AGENTS: ${label}: name: every agent needs a name (lower-case letters, digits and dashes)`);
  else if (keyName && d.name && d.name !== keyName) problems.push(`JULES_AGENTS: ${label}: name: "${d.name}" differs from its key "${keyName}"`);
  if (name === "builtin") problems.push(`JULES_AGENTS: ${label}: name: "builtin" is OpenJules's own agent; choose another name`);
  const command: Partial<Record<AgentPhase, string[]>> = Array.isArray(d.command) ? Object.fromEntries(d.phases.map((p) => [p, d.command as string[]])) : { ...d.command };
  for (const phase of d.phases) if (!command[phase]) problems.push(`JULES_AGENTS: ${label}: command.${phase}: the agent does the ${phase} phase but has no command for it`);
  for (const phase of AGENT_PHASES)
    if (command[phase] && !d.phases.includes(phase)) problems.push(`JULES_AGENTS: ${label}: command.${phase}: a command for a phase not listed in phases`);
  const usesModel = Object.values(command).some((argv) => argv?.some((a) => a.includes("{model}")));
  const literal: Record<string, string> = {};
  const secretEnv: Record<string, string> = {};
  for (const [variable, value] of Object.entries(d.env)) {
    if (!ENV_NAME.test(variable) || reservedEnvName(variable)) {
      const why = ENV_NAME.test(variable)
        ? "is set by the sandbox itself (HOME, PATH, proxies, LD_*, GIT_*, …) and cannot be set for an agent"
        : "not a variable name (capitals, digits and underscores)";
      problems.push(`JULES_AGENTS: ${label}: env.${variable}: ${why}`);
      continue;
    }
    if (typeof value === "string") {
      literal[variable] = value;
      continue;
    }
    const found = env[value.from];
    if (found === undefined || found === "") {
      problems.push(`JULES_AGENTS: ${label}: env.${variable}.from: the host environment variable ${value.from} is not set`);
      continue;
    }
    if (value.secret) secretEnv[variable] = found;
    else literal[variable] = found;
  }
  const network: string[] = [];
  d.network.forEach((entry, i) => {
    try {
      const a = parseAllowEntry(entry);
      network.push(a.port === null ? a.host : `${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}`);
    } catch (error) {
      problems.push(`JULES_AGENTS: ${label}: network.${i}: ${(error as Error).message}`);
    }
  });
  if (usesModel && !d.model) problems.push(`JULES_AGENTS: ${label}: model: the command uses {model}, so the definition needs a default model`);
  if (problems.length > before || !name) return null;
  return {
    name,
    description: d.description,
    command,
    stdin: d.stdin ? (d.stdin === "{inbox}" ? "inbox" : "prompt_file") : null,
    env: literal,
    secretEnv,
    network,
    phases: d.phases,
    timeoutMs: d.timeout_seconds === undefined ? null : d.timeout_seconds * 1000,
    reports: d.reports,
    model: d.model ?? null,
    fixRounds: d.fix_rounds,
  };
}

/**
 * Parses JULES_AGENTS' JSON text (already read from its file when it named
 * one): a list of definitions with names, or an object from name to
 * definition. Returns the definitions and every problem found, each naming
 * the entry and the field; with problems, the process must not start.
 */
export function parseAgentDefinitions(text: string, env: Record<string, string | undefined>): { agents: ExternalAgentDefinition[]; problems: string[] } {
  const problems: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { agents: [], problems: [`JULES_AGENTS is not valid JSON: ${(error as Error).message}`] };
  }
  const entries: [unknown, string | undefined][] = Array.isArray(json)
    ? json.map((d) => [d, undefined])
    : typeof json === "object" && json !== null
      ? Object.entries(json).map(([key, d]) => [d, key])
      : [];
  if (!Array.isArray(json) && (typeof json !== "object" || json === null)) {
    return { agents: [], problems: ["JULES_AGENTS must be a list of agent definitions, or an object from agent name to definition"] };
  }
  const agents: ExternalAgentDefinition[] = [];
  entries.forEach(([raw, key], i) => {
    if (key !== undefined && !AGENT_NAME.test(key)) {
      problems.push(`JULES_AGENTS: "${key}": not an agent name (lower-case letters, digits and dashes, starting with a letter, at most 32)`);
      return;
    }
    const agent = resolveDefinition(raw, i, key, env, problems);
    if (!agent) return;
    if (agents.some((a) => a.name === agent.name)) problems.push(`JULES_AGENTS: agent "${agent.name}": defined twice`);
    else agents.push(agent);
  });
  return { agents, problems };
}

/** Whether JULES_AGENTS holds the JSON itself (else it is the path of a file that does). */
export function isInlineJson(value: string): boolean {
  return /^\s*[[{]/.test(value);
}

/** The secret values of every definition, for the process's secret list. */
export function agentSecrets(agents: readonly ExternalAgentDefinition[]): string[] {
  return agents.flatMap((a) => Object.values(a.secretEnv));
}
