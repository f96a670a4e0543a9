/**
 * The control plane over a real OpenJules process for tests (startTestApp:
 * real SQLite store and embedded queue, real Probot against the nock-mocked
 * GitHub), with the worker stopped so jobs stay where the use cases put
 * them. Tasks are put in a state through the store's own legal transitions.
 */
import { afterEach, beforeEach } from "vitest";
import { samplePlan } from "../../helpers/agent-double.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { startTestApp, type TestApp, type TestAppOptions } from "../../helpers/test-app.ts";
import { INSTALLATION_ID } from "../../helpers/payloads.ts";
import type { Agent } from "../../../src/agent/port.ts";
import type { Caller, Face, TokenScope } from "../../../src/domain/actor.ts";
import type { Task, TaskState } from "../../../src/domain/model.ts";
import { planHash } from "../../../src/domain/plan-hash.ts";
import { createInProcessFeed } from "../../../src/events/in-process.ts";
import { withEventFeed } from "../../../src/events/with-event-feed.ts";
import { probotInstallations } from "../../../src/github/installations.ts";
import type { NewTask } from "../../../src/store/port.ts";
import { createControlPlane } from "../../../src/tasks/control/create-control-plane.ts";
import type { ControlDeps } from "../../../src/tasks/control/deps.ts";
import type { ControlPlane } from "../../../src/tasks/control/port.ts";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const CAPS = { maxTurns: 40, maxTokens: 2_000_000, maxCostUsd: 5, maxMinutes: 30 };

export interface Harness {
  app: TestApp;
  deps: ControlDeps;
  plane: ControlPlane;
  close(): Promise<void>;
}

export type HarnessOptions = { allowedModels?: string[]; startWorker?: boolean; agent?: Agent; control?: Pick<ControlDeps, "defaultModel" | "speech"> } & Pick<
  TestAppOptions,
  "agentFactory" | "env"
>;

/**
 * `startWorker`: run jobs (for the thread's commands, which arrive as inbound jobs); off by default so jobs stay queued.
 * `agentFactory` and `env`: the real agent built from the app's settings (against a fake model server).
 * `control`: the control plane's optional dependencies (the operator's default model, the speech engine); none by default.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { allowedModels, startWorker, control, ...forApp } = options;
  const app = await startTestApp({ ...forApp, startWorker: startWorker ?? false });
  const feed = createInProcessFeed();
  const deps: ControlDeps = {
    ...app.deps,
    store: withEventFeed(app.deps.store, feed),
    feed,
    installations: probotInstallations(app.probot),
    allowedModels: allowedModels ?? ["openai:gpt-5-mini"],
    caps: CAPS,
    ownLogin: () => "openjules[bot]",
    ...control,
  };
  return {
    app,
    deps,
    plane: createControlPlane(deps),
    close: async () => {
      await feed.close();
      await app.close();
    },
  };
}

/** A fresh harness for each test of the file (closed, and GitHub's mocks reset, after each); call the getter inside tests. */
export function withHarness(options: Parameters<typeof startHarness>[0] = {}): () => Harness {
  let current: Harness | null = null;
  beforeEach(async () => {
    current = await startHarness(options);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
    GitHubMock.reset();
  });
  return () => {
    if (!current) throw new Error("the harness is only there inside a test");
    return current;
  };
}

export const operator = (face: Face = "cli"): Caller => ({ principal: { kind: "operator" }, face });

export const user = (login: string, options: { scopes?: TokenScope[]; repositories?: string[] | null; face?: Face } = {}): Caller => ({
  principal: { kind: "user", login, scopes: options.scopes ?? ["read", "write"], repositories: options.repositories ?? null },
  face: options.face ?? "api",
});

/** The moves from queued to each state (planning, a plan, approval, work). */
const PATH: Partial<Record<TaskState, TaskState[]>> = {
  queued: [],
  planning: ["planning"],
  awaiting_approval: ["planning", "awaiting_approval"],
  approved: ["planning", "awaiting_approval", "approved"],
  working: ["planning", "awaiting_approval", "approved", "working"],
  testing: ["planning", "awaiting_approval", "approved", "working", "testing"],
  paused: ["planning", "awaiting_approval", "approved", "working", "paused"],
  done: ["planning", "awaiting_approval", "approved", "working", "done"],
  failed: ["planning", "failed"],
  cancelled: ["cancelled"],
};

/** A task of Codertocat/Hello-World without an issue (no GitHub comment is involved), moved to `state`. */
export async function taskIn(h: Harness, state: TaskState, fields: Partial<NewTask> = {}, patch: Partial<Task> = {}): Promise<Task> {
  const created = await h.deps.store.create(
    {
      installationId: INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      issueNumber: null,
      kind: "issue",
      cloneUrl: `https://github.com/${OWNER}/${REPO}.git`,
      instruction: "fix the crash",
      issueTitle: "fix the crash",
      requestedBy: "Codertocat",
      triggerCommentId: null,
      baseBranch: "main",
      command: "jules",
      face: "api",
      ...fields,
    },
    "Codertocat",
    "test",
  );
  if (!created.created) throw new Error("the test task could not be created");
  let task = created.task;
  const plan = samplePlan();
  const context = { title: "fix the crash", body: "", comments: [], issueDigest: "d" };
  const hash = planHash(plan, context);
  for (const to of PATH[state] ?? []) {
    const extra: Partial<Task> =
      to === "awaiting_approval"
        ? { plan, planContext: context, planHash: hash, planVersion: 1 }
        : to === "approved"
          ? { approvedPlanHash: hash, approvedBy: "Codertocat", approvalKind: "person" }
          : to === "paused"
            ? { pause: { cause: "cost", reason: "reached its budget of $2.00 (estimated)", at: new Date().toISOString(), checkpointSha: null, summary: "did half" } }
            : {};
    const moved = await h.deps.store.transition(task.id, { from: task.state, to, actor: "openjules", reason: "test", patch: extra });
    if (!moved) throw new Error(`could not move the test task to ${to}`);
    task = moved;
  }
  return Object.keys(patch).length > 0 ? h.deps.store.update(task.id, patch) : task;
}
