/**
 * Test data for the renderer tests: a task at a fixed time, built with
 * overrides, and a small plan.
 */
import type { Plan, Task, TaskEvent } from "../../src/domain/model.ts";

export const NOW = new Date("2026-01-15T10:02:05.000Z");
export const CREATED = "2026-01-15T10:00:00.000Z";

export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    installationId: 1,
    owner: "acme",
    repo: "app",
    issueNumber: 12,
    id: "t_01",
    kind: "issue",
    state: "queued",
    cloneUrl: "https://github.com/acme/app.git",
    instruction: "fix the crash",
    issueTitle: "Crash on empty list",
    requestedBy: "alice",
    command: "jules",
    triggerCommentId: 99,
    baseBranch: null,
    statusCommentId: null,
    planCommentId: null,
    planCommentCreatedAt: null,
    plan: null,
    planHash: null,
    planContext: null,
    planVersion: 0,
    revisionFeedback: null,
    approvedBy: null,
    approvalKind: null,
    approvedPlanHash: null,
    answer: null,
    branch: null,
    pullRequestNumber: null,
    pullRequestUrl: null,
    failure: null,
    usage: null,
    activity: null,
    face: "thread",
    model: null,
    pause: null,
    extraBudget: null,
    costEstimateUsd: null,
    ownKey: null,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...overrides,
  };
}

export const PLAN: Plan = {
  summary: "Guard `sum()` against empty lists.",
  steps: [
    { title: "Return 0 for an empty list", detail: "Check `xs.length` first.", files: ["src/sum.ts"] },
    { title: "Add a test", files: ["test/sum.test.ts"] },
  ],
  risks: ["Callers might expect an exception."],
  verification: "`npm test` passes.",
};

export function event(from: Task["state"] | null, to: Task["state"], actor = "openjules", reason = ""): TaskEvent {
  return { taskId: "t_01", at: CREATED, from, to, actor, face: actor === "openjules" ? "system" : "thread", reason };
}
