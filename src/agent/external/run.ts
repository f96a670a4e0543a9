import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExternalAgentDefinition } from "../../config/agent-definitions.ts";
import type { SandboxRunner } from "../../sandbox/runner.ts";
import { readRepoFile } from "../../security/safe-read.ts";
import { redactSecrets } from "../../security/redact.ts";
import { cleanLines, tail } from "../../sandbox/output-summary.ts";
import { eventedRunner } from "../command-events.ts";
import type { CommandRunner } from "../command-runner.ts";
import { AgentError, type TaskEvents } from "../port.ts";
import type { Transcript } from "../transcript.ts";
import { FILES, type Inbox, InboxSchema, outboxJsonSchema } from "./channel.ts";
import { commandLine, type LineValues } from "./command-line.ts";
import { renderPrompt } from "./prompt.ts";

/**
 * One run of an external agent in the sandbox, in the task's working copy
 * (read-only when planning): the channel directory is made under the data
 * directory and bound at /run/openjules/channel, the inbox, prompt and
 * outbox schema are written there, the agent's secret variables go to its
 * process alone (a file descriptor, runner.ts), its network is the hosts of
 * its definition only (egress proxy), and its HOME is a private tmpfs, so
 * nothing it keeps there (a session, a key's fingerprint) reaches setup or
 * the tests. While it runs the outbox is polled: once a complete one is
 * there the agent gets a short grace to exit, then is stopped; at the
 * deadline it is killed. The channel files and the agent's output go to the
 * transcript (redacted), its command and output to the task's event log.
 * The outbox and stdout files are read with safe-read (regular files only,
 * no links, capped): the agent controls that directory.
 */

export interface RunDeps {
  runner: SandboxRunner;
  dataDir: string;
  secrets: readonly string[];
  /** How often the outbox is looked for while the agent runs. Default 250 ms. */
  pollMs?: number;
  /** How long an agent that wrote its outbox may take to exit before it is stopped. Default 10 s. */
  graceMs?: number;
}

export interface RunInput {
  inbox: Inbox;
  workdir: string;
  values: LineValues;
  timeoutMs: number;
  signal: AbortSignal;
  events?: TaskEvents | undefined;
  transcript: Transcript;
}

export interface RunResult {
  /** The outbox file's text, or null when the agent wrote none. */
  outbox: string | null;
  /** Standard output alone, for an agent that reports there. */
  stdout: string | null;
  exitCode: number | null;
  timedOut: boolean;
  /** The last lines of its output, cleaned and redacted (for a failure message). */
  tail: string;
  wallMs: number;
}

const MAX_OUTBOX_BYTES = 1024 * 1024;
const MAX_STDOUT_BYTES = 16 * 1024 * 1024;

async function readChannel(dir: string, file: string, maxBytes: number): Promise<string | null> {
  const read = await readRepoFile(dir, file, { maxBytes, whole: true, links: "refuse" });
  return read.ok ? read.bytes.toString("utf8") : null;
}

const isJson = (text: string | null): boolean => {
  if (text === null) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.round(s / 60)} minutes`;
}

export async function runExternalAgent(deps: RunDeps, agent: ExternalAgentDefinition, input: RunInput): Promise<RunResult> {
  const parent = join(deps.dataDir, "agent-channels");
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(parent, `${input.inbox.task.id.replace(/[^\w-]/g, "_")}-${input.inbox.phase}-`));
  const started = Date.now();
  try {
    const prompt = renderPrompt(input.inbox);
    // Our own side of the channel is checked too: an inbox always follows version 1.
    const inboxText = `${JSON.stringify(InboxSchema.parse(input.inbox), null, 2)}\n`;
    await writeFile(join(dir, FILES.inbox), inboxText, { mode: 0o644 });
    await writeFile(join(dir, FILES.prompt), prompt, { mode: 0o644 });
    await writeFile(join(dir, FILES.schema), `${JSON.stringify(outboxJsonSchema(), null, 2)}\n`, { mode: 0o644 });
    input.transcript.record({ type: "channel", agent: agent.name, file: FILES.inbox, content: inboxText });
    input.transcript.record({ type: "channel", agent: agent.name, file: FILES.prompt, content: prompt });
    const command = commandLine(agent, input.values);
    const stop = new AbortController();
    const signal = AbortSignal.any([input.signal, stop.signal]);
    const sandboxed: CommandRunner = {
      run: (cmd, opts) =>
        deps.runner.run(cmd, {
          ...opts,
          readOnly: input.inbox.phase === "plan",
          channel: dir,
          env: agent.env,
          secretEnv: agent.secretEnv,
          ...(agent.network.length > 0 ? { egressHosts: agent.network } : {}),
        }),
    };
    const secrets = [...deps.secrets, ...Object.values(agent.secretEnv)];
    const runner = eventedRunner(sandboxed, input.events, secrets);
    let grace: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (grace) return;
      void readChannel(dir, FILES.outbox, MAX_OUTBOX_BYTES).then((text) => {
        if (!grace && isJson(text)) grace = setTimeout(() => stop.abort(new Error("outbox written")), deps.graceMs ?? 10_000);
      });
    }, deps.pollMs ?? 250);
    let result: Awaited<ReturnType<CommandRunner["run"]>>;
    try {
      result = await runner.run(command, { cwd: input.workdir, timeoutMs: input.timeoutMs, signal });
    } finally {
      clearInterval(poll);
      clearTimeout(grace);
    }
    const outbox = await readChannel(dir, FILES.outbox, MAX_OUTBOX_BYTES);
    const stdout = agent.reports === "outbox" ? null : await readChannel(dir, FILES.stdout, MAX_STDOUT_BYTES);
    input.transcript.record({
      type: "agent",
      agent: agent.name,
      command,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      output: result.output,
      stdout: stdout ?? undefined,
    });
    if (outbox !== null) input.transcript.record({ type: "channel", agent: agent.name, file: FILES.outbox, content: outbox });
    if (input.signal.aborted) throw new AgentError("The task was stopped while the agent ran.", "Nothing to do: the task was cancelled or the worker stopped.");
    const lines = cleanLines(result.output);
    return {
      outbox,
      stdout,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      tail: redactSecrets(tail(lines, 3000, 30).join("\n"), secrets),
      wallMs: Date.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
