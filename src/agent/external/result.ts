import type { ExternalAgentDefinition } from "../../config/agent-definitions.ts";
import { AgentError } from "../port.ts";
import { type Inbox, type Outbox, OutboxSchema, outboxProblems, PHASE_STATUSES } from "./channel.ts";
import { outboxInText, parseReport, planFromText, type Reported } from "./reports.ts";
import { describeDuration, type RunResult } from "./run.ts";

/**
 * What a run of an external agent came to, as an outbox: the outbox file
 * when it wrote one (it must follow the channel's schema, else the task
 * fails saying which field is wrong), else, for an agent that reports on
 * standard output, the outbox JSON at the end of its final message or that
 * message as the summary (the plan, when planning). A run that hit its
 * deadline, exited without a result, or gave a status its phase does not
 * allow fails with what happened and what to do, its output's last lines
 * shown (redacted).
 */

export type Usage = Reported["usage"];

const FIX_DEFINITION = "The operator must check the agent's definition in JULES_AGENTS (see the README, Agent backends and File channel, version 1).";

function invalid(agent: string, what: string, problems: string[], run: RunResult): AgentError {
  return new AgentError(`The agent ${agent} ${what} that does not follow the file channel (version 1): ${problems.join("; ")}.`, FIX_DEFINITION, undefined, run.tail || undefined);
}

function parseOutbox(agent: string, what: string, value: unknown, run: RunResult): Outbox {
  const parsed = OutboxSchema.safeParse(value);
  if (!parsed.success) throw invalid(agent, what, outboxProblems(parsed.error), run);
  return parsed.data;
}

function fromFile(agent: ExternalAgentDefinition, text: string, run: RunResult): Outbox {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(agent.name, "wrote an outbox", [`it is not JSON (${(error as Error).message})`], run);
  }
  return parseOutbox(agent.name, "wrote an outbox", json, run);
}

function fromReport(agent: ExternalAgentDefinition, phase: Inbox["phase"], reported: Reported, run: RunResult): Outbox {
  const embedded = outboxInText(reported.text);
  if (embedded) return parseOutbox(agent.name, "ended with a result", embedded, run);
  if (reported.error) return { version: 1, status: "failed", summary: reported.error };
  if (!reported.text)
    throw new AgentError(
      `The agent ${agent.name} gave no result (${exitText(run)}).`,
      "Try again; if it keeps happening, the operator should look at the agent's output in the task's transcript.",
      undefined,
      run.tail || undefined,
    );
  return phase === "plan" ? { version: 1, status: "plan", summary: reported.text, plan: planFromText(reported.text) } : { version: 1, status: "done", summary: reported.text };
}

const exitText = (run: RunResult) => (run.exitCode === null ? "it was stopped" : `exit code ${run.exitCode}`);

export function readResult(agent: ExternalAgentDefinition, phase: Inbox["phase"], run: RunResult, timeoutMs: number): { outbox: Outbox; usage: Usage } {
  if (run.timedOut && run.outbox === null) {
    throw new AgentError(
      `The agent ${agent.name} did not finish within ${describeDuration(timeoutMs)}, its deadline, and was stopped.`,
      "Narrow the request, or raise budgets.max_minutes in .github/jules.yml (the operator caps it with JULES_MAX_MINUTES and the agent's timeout_seconds).",
      undefined,
      run.tail || undefined,
    );
  }
  let outbox: Outbox;
  let usage: Usage = {};
  if (run.outbox !== null) outbox = fromFile(agent, run.outbox, run);
  else if (agent.reports === "outbox") {
    throw new AgentError(`The agent ${agent.name} ended (${exitText(run)}) without writing its outbox.`, FIX_DEFINITION, undefined, run.tail || undefined);
  } else {
    const reported = parseReport(agent.reports, run.stdout ?? "");
    usage = reported.usage;
    outbox = fromReport(agent, phase, reported, run);
  }
  if (!PHASE_STATUSES[phase].includes(outbox.status)) {
    throw invalid(agent.name, "ended with a result", [`status "${outbox.status}" does not belong to the ${phase} phase (expected ${PHASE_STATUSES[phase].join(", ")})`], run);
  }
  const own = outbox.usage;
  if (own)
    usage = {
      ...usage,
      ...(own.input_tokens !== undefined ? { inputTokens: own.input_tokens } : {}),
      ...(own.output_tokens !== undefined ? { outputTokens: own.output_tokens } : {}),
      ...(own.cost_usd !== undefined ? { costUsd: own.cost_usd } : {}),
      ...(own.turns !== undefined ? { turns: own.turns } : {}),
    };
  return { outbox, usage };
}
