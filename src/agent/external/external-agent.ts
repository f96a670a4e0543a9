import type { ExternalAgentDefinition } from "../../config/agent-definitions.ts";
import type { RepoConfig } from "../../config/repo-config.ts";
import type { Task, Usage as TaskUsage } from "../../domain/model.ts";
import type { TestReport } from "../../domain/test-report.ts";
import type { EnvironmentSnapshots } from "../../sandbox/snapshot/index.ts";
import type { Settings } from "../../settings.ts";
import { type Budget, budgetError, effectiveBudget, exceeded, extendBudget } from "../budget.ts";
import { recordedRunner } from "../changes.ts";
import { eventedRunner } from "../command-events.ts";
import { taskRunner } from "../command-runner.ts";
import { loadInstructions } from "../context/instructions.ts";
import { type PriceTable, priceFor } from "../prices.ts";
import { type Agent, AgentError, type ExecuteOutcome, type ExecuteRequest, type PausedOutcome, type PlanOutcome, type PlanRequest } from "../port.ts";
import { prepare, type RepoCommands, runTests, type TestPhaseOptions } from "../test-phase.ts";
import { Transcript, transcriptPath } from "../transcript.ts";
import { CHANNEL_VERSION, type Inbox, IN_SANDBOX, type Outbox, outboxJsonSchema } from "./channel.ts";
import { readResult, type Usage } from "./result.ts";
import { runExternalAgent, type RunDeps } from "./run.ts";

/**
 * An external agent (JULES_AGENTS) behind the same Agent port as the
 * built-in loop. Planning: one run on the read-only working copy, whose
 * outbox is the plan (or an answer). Execution: setup as for the built-in
 * agent (prepare), one run on the writable working copy recorded as a kept
 * command (only what it changed is the change), then the repository's tests;
 * when they fail, the agent runs again with the failing output, up to its
 * fix_rounds. The pipeline then commits, scans and opens the pull request as
 * for any backend. The task's time budget is each run's deadline (capped by
 * the definition's timeout); tokens and cost, when the agent reports them,
 * count in the task's usage and are checked before each run. A phase the
 * definition does not do is done by the built-in agent.
 */

export interface ExternalAgentDeps extends Omit<RunDeps, "secrets"> {
  settings: Settings["agent"];
  secrets: readonly string[];
  /** Prices of tokens, for an agent that reports tokens but no cost. */
  prices: PriceTable;
  /** Does the phases the definition does not. */
  builtin: Agent;
  /** Setup and test commands of a working copy (the sandbox's detection). */
  detectCommands?: (workdir: string, config: RepoConfig) => Promise<RepoCommands>;
  /** Timeout of setup and of the test run. Default 10 minutes. */
  commandTimeoutMs?: number;
  environments?: EnvironmentSnapshots | undefined;
}

const zero = (): TaskUsage => ({ inputTokens: 0, outputTokens: 0, calls: 0, wallMs: 0, costUsd: 0 });

function add(a: TaskUsage, b: TaskUsage): TaskUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    calls: a.calls + b.calls,
    wallMs: a.wallMs + b.wallMs,
    costUsd: Math.round((a.costUsd + b.costUsd) * 1e6) / 1e6,
  };
}

/** The model the {model} placeholder stands for: the task's choice (JULES_ALLOWED_MODELS), else the definition's. */
function modelOf(task: Task, agent: ExternalAgentDefinition): string | null {
  if (!task.model) return agent.model;
  const colon = task.model.indexOf(":");
  return colon < 0 ? task.model : task.model.slice(colon + 1);
}

export function createExternalAgent(agent: ExternalAgentDefinition, deps: ExternalAgentDeps): Agent {
  const commandTimeoutMs = deps.commandTimeoutMs ?? 600_000;

  const budgetOf = (task: Task, config: RepoConfig): Budget => extendBudget(effectiveBudget(config.budgets, deps.settings.caps), task.extraBudget, deps.settings.caps);

  /** Before a run: a task that already spent its tokens or cost budget stops here, like the built-in loop before a model call. */
  function checkBudget(budget: Budget, used: TaskUsage, phase: string): void {
    const hit = exceeded({ ...budget, maxTurns: Number.POSITIVE_INFINITY, maxWallMs: Number.POSITIVE_INFINITY }, { turns: 0, usage: used, elapsedMs: 0 });
    if (hit) throw budgetError(hit, budget, phase, zero());
  }

  function usageOf(reported: Usage, wallMs: number, model: string | null): TaskUsage {
    const inputTokens = reported.inputTokens ?? 0;
    const outputTokens = reported.outputTokens ?? 0;
    let costUsd = reported.costUsd ?? 0;
    if (reported.costUsd === undefined && model && inputTokens + outputTokens > 0) {
      const price = priceFor(deps.prices, "openai", model) ?? priceFor(deps.prices, "anthropic", model);
      if (price) costUsd = (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
    }
    return { inputTokens, outputTokens, calls: reported.turns ?? 0, wallMs, costUsd: Math.round(costUsd * 1e6) / 1e6 };
  }

  function baseInbox(request: PlanRequest | ExecuteRequest, phase: Inbox["phase"], budget: Budget, used: TaskUsage, timeoutMs: number): Inbox {
    const { task } = request;
    return {
      version: CHANNEL_VERSION,
      phase,
      task: { id: task.id, repository: `${task.owner}/${task.repo}`, base_branch: task.baseBranch, requested_by: task.requestedBy },
      instruction: task.instruction,
      plan: null,
      previous_plan: null,
      feedback: request.feedback,
      repository_instructions: null,
      thread: { untrusted: true, title: request.thread.title, body: request.thread.body, comments: request.thread.comments.map((c) => ({ author: c.author, body: c.body })) },
      messages: [],
      resume: null,
      setup: null,
      tests: null,
      budget: {
        wall_seconds: Math.round(timeoutMs / 1000),
        max_turns: budget.maxTurns,
        max_tokens: budget.maxTokens,
        max_cost_usd: budget.maxCostUsd,
        used_tokens: used.inputTokens + used.outputTokens,
        used_cost_usd: used.costUsd,
      },
      workdir: IN_SANDBOX.workdir,
      writable: phase === "execute",
      outbox: IN_SANDBOX.outbox,
      output_schema: outboxJsonSchema(),
    };
  }

  /** One run: its inbox, the sandbox, its result as an outbox, and what it used. */
  async function once(
    request: PlanRequest | ExecuteRequest,
    transcript: Transcript,
    inbox: Inbox,
    budget: Budget,
    timeoutMs: number,
  ): Promise<{ outbox: Outbox; usage: TaskUsage }> {
    const phase = inbox.phase;
    const model = modelOf(request.task, agent);
    request.progress.activity(`${agent.name} is ${phase === "plan" ? "planning" : "working"}`);
    const run = await runExternalAgent({ ...deps, secrets: [...deps.secrets, ...(request.ownKey ? [request.ownKey.apiKey] : [])] }, agent, {
      inbox,
      workdir: request.workdir,
      values: { phase, model, maxTurns: budget.maxTurns },
      timeoutMs,
      signal: request.signal,
      events: request.events,
      transcript,
    });
    const { outbox, usage } = readResult(agent, phase, run, timeoutMs);
    return { outbox, usage: usageOf(usage, run.wallMs, model) };
  }

  const deadline = (budget: Budget) => Math.min(budget.maxWallMs, agent.timeoutMs ?? Number.POSITIVE_INFINITY);

  const openTranscript = (task: Task, phase: string) => {
    const transcript = new Transcript(transcriptPath(deps.dataDir, task.id), [...deps.secrets, ...Object.values(agent.secretEnv)]);
    transcript.record({ type: "start", phase, provider: "external", model: agent.name, system: "", tools: [] });
    return transcript;
  };

  const stopped = (outbox: Outbox, doing: string) => {
    if (outbox.status === "questions") {
      const asked = (outbox.questions ?? []).map((q, i) => `${i + 1}. ${q}`).join("\n");
      return new AgentError(
        `The agent ${agent.name} stopped ${doing} with questions:\n${asked}`,
        "Answer them in the thread and start the task again with the answers in your instruction.",
      );
    }
    return new AgentError(
      `The agent ${agent.name} could not finish ${doing}: ${outbox.summary || "it gave no reason"}`,
      "Try again with a more specific instruction, or ask the operator to look at the task's transcript.",
    );
  };

  return {
    async plan(request: PlanRequest): Promise<PlanOutcome> {
      if (!agent.phases.includes("plan")) return deps.builtin.plan(request);
      const budget = budgetOf(request.task, request.config);
      checkBudget(budget, request.task.usage ?? zero(), "Planning");
      const transcript = openTranscript(request.task, "planning");
      let outcome = "failed";
      try {
        const timeoutMs = deadline(budget);
        const inbox = baseInbox(request, "plan", budget, request.task.usage ?? zero(), timeoutMs);
        inbox.previous_plan = request.previousPlan;
        inbox.repository_instructions = await loadInstructions(request.workdir, request.config);
        const { outbox, usage } = await once(request, transcript, inbox, budget, timeoutMs);
        request.progress.usage(add(request.task.usage ?? zero(), usage));
        if (outbox.status === "failed") throw stopped(outbox, "planning");
        outcome = outbox.status;
        if (outbox.status === "plan" && outbox.plan) return { kind: "plan", plan: outbox.plan, usage };
        if (outbox.status === "questions") {
          const asked = (outbox.questions ?? []).map((q, i) => `${i + 1}. ${q}`).join("\n");
          return { kind: "answer", answer: `Before it can plan, ${agent.name} needs to know:\n\n${asked}\n\nStart the task again with the answers in your instruction.`, usage };
        }
        return { kind: "answer", answer: outbox.answer ?? outbox.summary, usage };
      } finally {
        transcript.record({ type: "end", phase: "planning", outcome });
        await transcript.close();
      }
    },

    async execute(request: ExecuteRequest): Promise<ExecuteOutcome | PausedOutcome> {
      if (!agent.phases.includes("execute")) return deps.builtin.execute(request);
      const phaseStart = Date.now();
      const budget = budgetOf(request.task, request.config);
      const before = request.task.usage ?? zero();
      checkBudget(budget, before, "Execution");
      const transcript = openTranscript(request.task, "execution");
      const secrets = [...deps.secrets, ...Object.values(agent.secretEnv), ...(request.ownKey ? [request.ownKey.apiKey] : [])];
      // Setup and the tests: the sandbox's runner with the task's HOME and `env:`, in the event log; never the agent's keys or network.
      const commands = eventedRunner(taskRunner(deps.runner, { home: request.home, env: request.config.env }), request.events, secrets);
      const testOptions: TestPhaseOptions = {
        runner: request.changes ? recordedRunner(commands, request.changes) : commands,
        detectCommands: deps.detectCommands,
        timeoutMs: commandTimeoutMs,
        fixRounds: 0,
        secrets,
        log: { record: (entry) => transcript.record(entry), where: `the task's transcript (the operator reads it with \`openjules tasks logs ${request.task.id}\`)` },
        environment: deps.environments?.forTask({
          cloneUrl: request.task.cloneUrl,
          owner: request.task.owner,
          repo: request.task.repo,
          home: request.home,
          changes: request.changes,
        }),
      };
      let usage = zero();
      let outcome = "failed";
      try {
        const setupNote = await prepare(testOptions, request.workdir, request.config, request.progress, request.signal);
        let failing: TestReport | null = null;
        let failingOutput = "";
        for (let round = 0; ; round++) {
          checkBudget(budget, add(before, usage), "Execution");
          // Setup and earlier rounds took part of the phase's time.
          const timeoutMs = deadline(budget) - (Date.now() - phaseStart);
          if (timeoutMs < 1000) throw budgetError("time", budget, "Execution", usage);
          const inbox = baseInbox(request, "execute", budget, add(before, usage), timeoutMs);
          inbox.plan = request.plan;
          inbox.repository_instructions = await loadInstructions(request.workdir, request.config);
          inbox.resume = request.resume ? { summary: request.resume.summary } : null;
          inbox.setup = setupNote;
          inbox.messages = ((await request.messages?.()) ?? []).map((m) => ({ author: m.author, body: m.body }));
          inbox.tests = failing ? { command: failing.command, passed: false, output: failingOutput } : null;
          const run = () => once(request, transcript, inbox, budget, timeoutMs);
          const { outbox, usage: used } = request.changes ? (await request.changes.command("agent_command", true, run)).result : await run();
          usage = add(usage, used);
          request.progress.usage(add(before, usage));
          if (outbox.status !== "done") throw stopped(outbox, "the plan");
          request.progress.phase?.("testing");
          const tests = await runTests(testOptions, request.workdir, request.config, request.signal);
          if (tests.passed !== false || round >= agent.fixRounds) {
            outcome = tests.passed === false ? "finished, tests failing" : "finished";
            return { summary: outbox.summary || `${agent.name} carried out the approved plan.`, tests, usage };
          }
          request.progress.phase?.("working");
          failing = tests;
          failingOutput = tests.summary;
        }
      } finally {
        transcript.record({ type: "end", phase: "execution", outcome });
        await transcript.close();
      }
    },
  };
}
