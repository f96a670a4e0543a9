import type { RepoConfig } from "../config/repo-config.ts";
import type { EnvironmentSnapshots } from "../sandbox/snapshot/index.ts";
import type { Settings } from "../settings.ts";
import { buildContextBlock } from "./context/prompt-context.ts";
import { wrapUntrusted } from "./context/thread.ts";
import { type ModelCallRecord, ToolLoop } from "./loop.ts";
import { planToText } from "./plan.ts";
import type { Agent, ExecuteOutcome, ExecuteRequest, PausedOutcome, PlanOutcome, PlanRequest } from "./port.ts";
import { AgentError } from "./port.ts";
import { parsePriceOverride } from "./prices.ts";
import { PROMPTS, render } from "./prompts.ts";
import { type Session, openSession } from "./session.ts";
import { prepare, testAndFix, type RepoCommands } from "./test-phase.ts";
import { recordedRunner } from "./changes.ts";
import { taskRunner, type CommandRunner } from "./command-runner.ts";
import { eventedRunner } from "./command-events.ts";
import type { TranscriptEntry } from "./transcript.ts";
import { estimateExecutionCost } from "./estimate.ts";
import { conversationSummary, LoopPaused } from "./pause.ts";
import { resumeNote } from "./resume-note.ts";
import { askTools, executionTools, planningTools } from "./tools/tool-sets.ts";
import { formatPullRequestDiff } from "./context/pull-request.ts";
import { commandWord } from "../render/escape.ts";

/**
 * The agent the task pipeline calls: `plan` explores the working copy with
 * read-only tools and ends with a plan (or an answer; for a question, task
 * kind `ask`, only an answer: its tools are the read-only ones and `answer`,
 * its prompt prompts/ask.md, with the pull request's diff when it was asked
 * on one); `execute` implements
 * the approved plan with the editing tools, then runs the tests (when a
 * runner is available) and lets the model fix failures. Both open a session
 * (provider, budgets, usage, transcript), build the first message from the
 * repository context, and run the tool loop. Usage in outcomes, Progress
 * and errors is the phase's own (the pipeline adds it to `task.usage`); the
 * per-task budgets (tokens, cost) count `task.usage` too.
 */

export interface AgentDeps {
  settings: Settings["agent"];
  dataDir: string;
  runner?: CommandRunner;
  /** Setup and test commands of a working copy; default: `setup` and `test` from jules.yml. The sandbox plugs its detection in here. */
  detectCommands?: (workdir: string, config: RepoConfig) => Promise<RepoCommands>;
  /** Timeout of one command (the `run` tool and tests), default 10 minutes. */
  commandTimeoutMs?: number;
  /** How many times the model may fix failing tests, default 2. */
  fixRounds?: number;
  /** Told about every model call (tokens, cost), e.g. for metrics. */
  onModelCall?: (call: ModelCallRecord) => void;
  /** The process's secrets (settings.secrets, the one list), redacted from transcripts and test output. */
  secrets: readonly string[];
  /** Environment snapshots (src/sandbox/snapshot/): setup skipped or warmed when an identical one ran before. */
  environments?: EnvironmentSnapshots | undefined;
}

const PLAN_NUDGE = "You replied without calling a tool. Keep exploring with the tools, then call submit_plan (or answer, if no code change is needed).";
const ASK_NUDGE = "You replied without calling a tool. Keep exploring with the read-only tools, then call answer with your answer to the question.";
const EXECUTE_NUDGE = "You replied without calling a tool. Keep working with the tools, and call finish when the plan is implemented.";

export function createAgent(deps: AgentDeps): Agent {
  const prices = parsePriceOverride(deps.settings.prices);
  const commandTimeoutMs = deps.commandTimeoutMs ?? 600_000;
  const sessionDeps = { settings: deps.settings, dataDir: deps.dataDir, runner: deps.runner, prices, commandTimeoutMs, secrets: deps.secrets };

  const loopFor = (s: Session, phase: "Planning" | "Execution", system: string, request: PlanRequest | ExecuteRequest, run?: ExecuteRequest) =>
    new ToolLoop({
      phase,
      provider: s.provider,
      system,
      tools: phase === "Execution" ? executionTools() : asking(request) ? askTools() : planningTools(),
      ctx: s.ctx,
      budget: s.budget,
      meter: s.meter,
      nudge: phase === "Execution" ? EXECUTE_NUDGE : asking(request) ? ASK_NUDGE : PLAN_NUDGE,
      transcript: s.transcript,
      progress: request.progress,
      events: request.events,
      signal: request.signal,
      onModelCall: deps.onModelCall,
      // Execution pauses on a budget (its work is kept); planning fails on one, as a half-made plan has nothing to keep.
      ...(run ? { messages: run.messages, pause: { requested: run.pauseRequested } } : {}),
    });

  const context = (r: PlanRequest | ExecuteRequest) => buildContextBlock({ dir: r.workdir, config: r.config, thread: r.thread, instruction: r.task.instruction });

  return {
    async plan(request: PlanRequest): Promise<PlanOutcome> {
      const s = openSession(sessionDeps, request.task, request.config, request.workdir, "plan", request.ownKey);
      try {
        const ask = asking(request);
        request.progress.activity(ask ? "looking for the answer" : "exploring the repository");
        const parts = [await context(request)];
        if (ask && request.pullRequest) parts.push(formatPullRequestDiff(request.pullRequest));
        if (request.previousPlan && !ask) {
          const feedback = wrapUntrusted("feedback", request.feedback ?? "(no feedback given)");
          parts.push(render(PROMPTS.revise, { previous_plan: planToText(request.previousPlan), feedback }));
        }
        parts.push(ask ? "Read the code as needed, then call answer." : "Explore the code as needed, then call submit_plan (or answer, if no code change is needed).");
        const repo = `${request.task.owner}/${request.task.repo}`;
        const system = ask ? render(PROMPTS.ask, { repo, command: commandWord(request.task.command) }) : render(PROMPTS.plan, { repo });
        const outcome = await loopFor(s, "Planning", system, request).run(parts.join("\n\n"));
        const usage = s.meter.snapshot();
        if (outcome.kind === "plan") {
          const estimateUsd = estimateExecutionCost({ planning: usage, price: s.meter.price, steps: outcome.plan.steps.length });
          return { kind: "plan", plan: outcome.plan, usage, cost: { estimateUsd, budgetUsd: s.budget.maxCostUsd } };
        }
        if (outcome.kind === "answer") return { kind: "answer", answer: outcome.answer, usage };
        throw new AgentError("Planning ended without a plan.", "Try again.", usage);
      } finally {
        await s.transcript.close();
      }
    },

    async execute(request: ExecuteRequest): Promise<ExecuteOutcome | PausedOutcome> {
      // One HOME and one `env:` for every command of the task: setup, the `run` tool and the tests; each in the event log.
      const runner = deps.runner && eventedRunner(taskRunner(deps.runner, { home: request.home, env: request.config.env }), request.events, deps.secrets);
      const s = openSession({ ...sessionDeps, runner }, request.task, request.config, request.workdir, "execute", request.ownKey);
      s.ctx.changes = request.changes;
      try {
        request.progress.activity("starting on the approved plan");
        const log = {
          record: (entry: TranscriptEntry) => s.transcript.record(entry),
          where: `the task's transcript (the operator reads it with \`openjules tasks logs ${request.task.id}\`)`,
        };
        const testRunner = runner && request.changes ? recordedRunner(runner, request.changes) : runner;
        const environment = deps.environments?.forTask({
          cloneUrl: request.task.cloneUrl,
          owner: request.task.owner,
          repo: request.task.repo,
          home: request.home,
          changes: request.changes,
        });
        const testOptions = {
          runner: testRunner,
          detectCommands: deps.detectCommands,
          timeoutMs: commandTimeoutMs,
          fixRounds: deps.fixRounds ?? 2,
          secrets: s.secrets,
          log,
          environment,
        };
        const setupNote = await prepare(testOptions, request.workdir, request.config, request.progress, request.signal);
        const parts = [await context(request), `# Approved plan\n\n${planToText(request.plan)}`];
        if (request.resume) parts.push(resumeNote(request.resume));
        if (setupNote) parts.push(`# Setup\n\n${setupNote}`);
        if (request.feedback) parts.push(`# Follow-up feedback on the pull request\n\n${wrapUntrusted("feedback", request.feedback)}`);
        parts.push(request.resume ? "Carry on with the approved plan from where the work stopped, then call finish." : "Implement the approved plan now, then call finish.");
        const runNote = deps.runner
          ? "Check your work with `run` (build, tests, linters). Commands run in a sandbox without network."
          : "Running commands is not available here: check your changes by re-reading them carefully.";
        const system = render(PROMPTS.execute, { repo: `${request.task.owner}/${request.task.repo}`, run_note: runNote });
        const loop = loopFor(s, "Execution", system, request, request);
        try {
          const outcome = await loop.run(parts.join("\n\n"));
          if (outcome.kind !== "finish") throw new AgentError("Execution ended without finishing.", "Try again.", s.meter.snapshot());
          const tested = await testAndFix(testOptions, {
            loop,
            summary: outcome.summary,
            workdir: request.workdir,
            config: request.config,
            progress: request.progress,
            signal: request.signal,
          });
          return { summary: tested.summary, tests: tested.tests, usage: s.meter.snapshot() };
        } catch (error) {
          if (!(error instanceof LoopPaused)) throw error;
          const summary = conversationSummary({
            messages: loop.conversation.messages,
            filesChanged: s.ctx.stats.filesChanged,
            turns: loop.turns,
            reason: error.reason,
            secrets: s.secrets,
            resumedFrom: request.resume,
          });
          return { kind: "paused", cause: error.pauseCause, reason: error.reason, summary, usage: s.meter.snapshot() };
        }
      } finally {
        await s.transcript.close();
      }
    },
  };
}

/** A question (`/jules ask`): answered with the read-only tools, never planned. */
const asking = (request: PlanRequest | ExecuteRequest): boolean => request.task.kind === "ask";
