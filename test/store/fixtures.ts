/**
 * Test data for the TaskStore contract: a valid NewTask with unique owner and
 * comment ids (so suites can share one database), and a complete patch that
 * sets every patchable field to a non-default value.
 */
import { randomUUID } from "node:crypto";
import assert from "node:assert/strict";
import type { NewTask, TaskPatch, TaskStore } from "../../src/store/port.ts";
import type { ThreadSnapshot } from "../../src/domain/model.ts";
import { IllegalTransitionError } from "../../src/domain/state-machine.ts";

let sequence = 0;

/** A comment id no other test uses (GitHub comment ids are global). */
export function uniqueCommentId(): number {
  sequence += 1;
  return Math.floor(Math.random() * 2 ** 40) * 1000 + sequence;
}

export function uniqueOwner(): string {
  return `octo-${randomUUID().slice(0, 8)}`;
}

export function newTask(overrides: Partial<NewTask> = {}): NewTask {
  const owner = overrides.owner ?? uniqueOwner();
  return {
    installationId: 4242,
    owner,
    repo: "hello-world",
    issueNumber: 7,
    kind: "issue",
    cloneUrl: `https://github.com/${owner}/hello-world.git`,
    instruction: "Make the greeting configurable",
    issueTitle: "Greeting is hard-coded",
    requestedBy: "alice",
    triggerCommentId: uniqueCommentId(),
    baseBranch: null,
    command: "jules",
    ...overrides,
  };
}

/** A thread snapshot as a plan is stored with (text with quotes, newlines and non-ASCII survives both backends). */
export const threadSnapshot = (body: string): ThreadSnapshot => ({
  title: 'Greeting is "hard-coded" — ünïcode',
  body,
  comments: [
    { author: "hubot", body: "Also see `src/greet.ts`.\nSecond line." },
    { author: "carol", body: "" },
  ],
  issueDigest: "a".repeat(64),
});

/** After migrating a database from before snapshots: the old task has none, and can be given one. */
export async function assertUpgradedTask(store: TaskStore, taskId: string): Promise<void> {
  assert.equal((await store.get(taskId))?.planContext, null);
  // No process kept the word old tasks were asked with: they read as the default.
  assert.equal((await store.get(taskId))?.command, "jules");
  const snapshot = threadSnapshot("After the upgrade.");
  assert.deepEqual((await store.update(taskId, { planContext: snapshot })).planContext, snapshot);
}

export const fullPatch = (): Required<TaskPatch> => ({
  cloneUrl: "https://ghe.example.com/octo/hello-world.git",
  instruction: "Use an environment variable",
  issueTitle: "Greeting is hard-coded (edited)",
  requestedBy: "bob",
  triggerCommentId: uniqueCommentId(),
  baseBranch: "develop",
  statusCommentId: 9001,
  planCommentId: 9002,
  planCommentCreatedAt: "2024-05-01T12:00:00Z",
  plan: {
    summary: "Read the greeting from GREETING",
    steps: [
      { title: "Add a setting", detail: "in src/config.ts", files: ["src/config.ts"] },
      { title: "Use it", files: ["src/hello.ts", "test/hello.test.ts"] },
    ],
    risks: ["Unset variable"],
    verification: "npm test",
  },
  planHash: "sha256:abc",
  planContext: threadSnapshot("The greeting is hard-coded in src/hello.ts."),
  planVersion: 2,
  revisionFeedback: "Keep the default",
  approvedBy: "carol",
  approvalKind: "person",
  approvedPlanHash: "sha256:abc",
  answer: "Not a question",
  branch: "jules/7-greeting",
  pullRequestNumber: 12,
  pullRequestUrl: "https://github.com/octo/hello-world/pull/12",
  failure: { phase: "tests", reason: "2 tests failed", hint: "Comment /jules retry" },
  usage: { inputTokens: 1200, outputTokens: 340, calls: 3, wallMs: 4567, costUsd: 0.0123 },
  activity: "read 6 files, edited 2",
  face: "api",
  model: "anthropic:claude-sonnet-4-5",
  pause: { cause: "cost", reason: "reached its budget of $2.00 (estimated)", at: "2024-05-01T12:30:00.000Z", checkpointSha: "a".repeat(40), summary: "Edited src/hello.ts." },
  extraBudget: { turns: 10, tokens: 50_000, costUsd: 1.5, minutes: 20 },
  costEstimateUsd: 0.42,
  ownKey: { login: "bob", provider: "anthropic", last4: "WXYZ" },
});

/**
 * Before migration 3, approvals recorded `approval: auto` as if the app had
 * approved as a person (approver `openjules`, reason `approved: approval:
 * auto`). Brings a task to approved that way (auto) or by a person.
 */
export async function approvedBeforeMigration3(store: TaskStore): Promise<{ autoId: string; personId: string }> {
  const ids: string[] = [];
  for (const by of ["auto", "person"] as const) {
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    await approveAsBeforeMigration3(store, created.task.id, by);
    ids.push(created.task.id);
  }
  return { autoId: ids[0]!, personId: ids[1]! };
}

async function approveAsBeforeMigration3(store: TaskStore, taskId: string, by: "auto" | "person"): Promise<void> {
  await store.transition(taskId, { from: "queued", to: "planning", actor: "openjules", reason: "planning started" });
  await store.transition(taskId, {
    from: "planning",
    to: "awaiting_approval",
    actor: "openjules",
    reason: "plan v1 posted",
    patch: { planHash: "h1", planVersion: 1, planCommentId: 77 },
  });
  const actor = by === "auto" ? "openjules" : "hubot";
  const approved = await store.transition(taskId, {
    from: "awaiting_approval",
    to: "approved",
    actor,
    reason: by === "auto" ? "approved: approval: auto" : "approved",
    planHash: "h1",
    patch: { approvedBy: actor, approvedPlanHash: "h1" },
  });
  assert.equal(approved?.state, "approved");
}

/** After migration 3: the automatic approval is recorded as automatic, the person's as theirs; the plan comment's time is unknown. */
export async function assertApprovalKindsAfterMigration3(store: TaskStore, { autoId, personId }: { autoId: string; personId: string }): Promise<void> {
  const auto = await store.get(autoId);
  assert.equal(auto?.approvalKind, "auto");
  assert.equal(auto?.approvedBy, null);
  assert.equal(auto?.approvedPlanHash, "h1");
  assert.equal(auto?.planCommentCreatedAt, null);
  const person = await store.get(personId);
  assert.equal(person?.approvalKind, "person");
  assert.equal(person?.approvedBy, "hubot");
}

/**
 * After migration 5 (on a database whose tasks were approved as above): the
 * history keeps every row, with the face its actor implies (openjules:
 * system, a person: thread), and the event log starts with it as `state`
 * events; the old tasks came from a thread and have no issue-less defaults.
 */
export async function assertHistoryAfterMigration5(store: TaskStore, { autoId, personId }: { autoId: string; personId: string }): Promise<void> {
  for (const id of [autoId, personId]) {
    const history = await store.history(id);
    assert.deepEqual(
      history.map((e) => [e.to, e.actor, e.face]),
      [
        ["queued", "alice", "thread"],
        ["planning", "openjules", "system"],
        ["awaiting_approval", "openjules", "system"],
        ["approved", id === autoId ? "openjules" : "hubot", id === autoId ? "system" : "thread"],
      ],
    );
    const log = await store.readEvents(id, 0, 100);
    assert.deepEqual(
      log.map((e) => e.data),
      history.map((e) => ({ type: "state", from: e.from, to: e.to, actor: e.actor, face: e.face, reason: e.reason })),
    );
    assert.deepEqual(
      log.map((e) => e.at),
      history.map((e) => e.at),
    );
    const task = await store.get(id);
    assert.equal(task?.face, "thread");
    assert.equal(task?.model, null);
    assert.equal(task?.pause, null);
  }
}

/**
 * After migration 6 (on a database with a task from before it): the task gets
 * a spoken summary with audio, a session and a key can be kept, and the
 * summary goes when its task's row is deleted (`deleteTask`: raw SQL, since
 * the store deletes no tasks).
 */
export async function assertAccountsAfterMigration6(store: TaskStore, taskId: string, deleteTask: (id: string) => Promise<void>): Promise<void> {
  const audio = new Uint8Array([82, 73, 70, 70, 0, 255]);
  const summary = { taskId, textHash: "f".repeat(64), text: "Done.", audio, engine: "espeak-ng 1.51", createdAt: "2030-01-01T00:00:00.000Z" };
  await store.accounts.putSummary(summary);
  assert.deepEqual(await store.accounts.getSummary(taskId), summary);
  const session = {
    id: "e".repeat(64),
    login: "alice",
    userId: 1,
    csrfToken: "c",
    githubToken: "v1.a.b.c",
    repositories: ["octo/hello-world"],
    repositoriesAt: "2030-01-01T00:00:00.000Z",
    createdAt: "2030-01-01T00:00:00.000Z",
    expiresAt: "2030-01-02T00:00:00.000Z",
    revokedAt: null,
  };
  await store.accounts.createSession(session);
  assert.deepEqual(await store.accounts.findSession(session.id), session);
  await store.accounts.putUserKey({ login: "alice", provider: "anthropic", sealed: "v1.a.b.c", last4: "wxyz", createdAt: "2030-01-01T00:00:00.000Z" });
  assert.equal((await store.accounts.listUserKeys("ALICE")).length, 1);
  await deleteTask(taskId);
  assert.equal(await store.accounts.getSummary(taskId), null, "a summary goes with its task");
}

/** After migration 7 (on a database with a task from before it): the old task runs on the operator's keys; a new one keeps its own key. */
/** After migrating a database from before questions: the old task keeps its kind; a new question is one, and the store refuses to approve it. */
export async function assertAskAfterMigration8(store: TaskStore, taskId: string): Promise<void> {
  assert.equal((await store.get(taskId))?.kind, "issue");
  const created = await store.create(newTask({ kind: "ask" }), "alice", "start");
  assert.ok(created.created);
  assert.equal((await store.get(created.task.id))?.kind, "ask");
  await assert.rejects(store.transition(created.task.id, { from: "queued", to: "approved", actor: "alice", reason: "approve" }), IllegalTransitionError);
}

export async function assertOwnKeyAfterMigration7(store: TaskStore, taskId: string): Promise<void> {
  assert.equal((await store.get(taskId))?.ownKey, null);
  const ownKey = { login: "alice", provider: "openai", last4: "abcd" };
  const created = await store.create(newTask({ ownKey }), "alice", "start");
  assert.ok(created.created);
  assert.deepEqual((await store.get(created.task.id))?.ownKey, ownKey);
}
