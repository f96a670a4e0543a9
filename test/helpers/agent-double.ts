/**
 * A test double of the agent that keeps the Planner/Executor contract: it
 * returns scripted plans (or answers, or errors), reports progress like the
 * real agent, and records what it was asked. Used by the foundation's tests;
 * the real agent is tested against a fake model server in test/agent/.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Agent, ExecuteOutcome, ExecuteRequest, PlanOutcome, PlanRequest } from "../../src/agent/port.ts";
import type { Plan } from "../../src/domain/model.ts";
import type { DeliveryInput, DeliveryResult } from "../../src/delivery/port.ts";
import type { Workspaces } from "../../src/workspace/port.ts";

export const samplePlan = (summary = "Fix the crash when the config file is empty"): Plan => ({
  summary,
  steps: [
    { title: "Treat an empty file as an empty config", detail: "Return defaults when the parsed YAML is null.", files: ["src/config.ts"] },
    { title: "Add a regression test", files: ["test/config.test.ts"] },
  ],
  risks: ["Callers may rely on the exception"],
  verification: "npm test",
});

const usage = { inputTokens: 1200, outputTokens: 300, calls: 2, wallMs: 1500, costUsd: 0.0123 };

export class AgentDouble implements Agent {
  plans: (PlanOutcome | Error | ((req: PlanRequest) => Promise<PlanOutcome>))[] = [];
  planRequests: PlanRequest[] = [];
  executeRequests: ExecuteRequest[] = [];
  outcome: ExecuteOutcome = { summary: "Empty config files now load as defaults.", tests: { command: "npm test", passed: true, summary: "12 passed" }, usage };

  willPlan(plan: Plan = samplePlan()) {
    this.plans.push({ kind: "plan", plan, usage });
    return this;
  }

  async plan(req: PlanRequest): Promise<PlanOutcome> {
    this.planRequests.push(req);
    req.progress.activity("read 3 files");
    const next = this.plans.shift() ?? { kind: "plan", plan: samplePlan(`plan ${this.planRequests.length}`), usage };
    if (next instanceof Error) throw next;
    return typeof next === "function" ? next(req) : next;
  }

  async execute(req: ExecuteRequest): Promise<ExecuteOutcome> {
    this.executeRequests.push(req);
    req.progress.activity("edited 2 files");
    req.progress.phase?.("testing");
    return this.outcome;
  }
}

/**
 * Checkouts in temporary directories, for the foundation's tests (the git
 * workspace is tested on its own, and with delivery in test/delivery and the
 * e2e suite). Git operations are not available here: tests that use this
 * double also replace delivery (see `DeliveryDouble`).
 */
export const tempWorkspaces: Workspaces = {
  async checkout(task) {
    const dir = await mkdtemp(join(tmpdir(), "jules-ws-"));
    const unavailable = async (): Promise<never> => {
      throw new Error("git is not available in the temporary-directory workspace double");
    };
    return {
      dir,
      homeDir: dir,
      baseBranch: task.baseBranch ?? "main",
      baseSha: "0".repeat(40),
      branch: task.branch,
      createdBranches: [],
      createBranch: unavailable,
      changes: { keep: unavailable, command: unavailable },
      commit: unavailable,
      push: unavailable,
      diff: unavailable,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

/** Delivery's contract kept by a double: answers a pull request (or what it is told) and records its inputs. */
export class DeliveryDouble {
  inputs: DeliveryInput[] = [];
  result: DeliveryResult = {
    kind: "pull_request",
    number: 7,
    url: "https://github.com/Codertocat/Hello-World/pull/7",
    branch: "jules/1-fix",
    draft: true,
    testsPassed: true,
    created: true,
    headSha: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
  };
  readonly deliver = async (input: DeliveryInput): Promise<DeliveryResult> => {
    this.inputs.push(input);
    if (this.result.kind === "pull_request" || this.result.kind === "branch_only") await input.recordBranch(this.result.branch);
    return this.result;
  };
}
