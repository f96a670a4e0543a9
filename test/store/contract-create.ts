/**
 * TaskStore contract, part 1: creating tasks and writing fields. Round trip of
 * every field, one active task per issue, one task per triggering comment,
 * patch validation, durability across a reopen, and use after close.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import type { Task } from "../../src/domain/model.ts";
import { TaskNotFoundError } from "../../src/store/errors.ts";
import type { TaskPatch } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { fullPatch, newTask } from "./fixtures.ts";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createCases(t: ContractContext): void {
  describe("create and fields", () => {
    it("creates a queued task with defaults and reads every field back", async () => {
      const input = newTask({ baseBranch: "main" });
      const result = await t.store.create(input, "alice", "comment 1");
      assert.equal(result.created, true);
      if (!result.created) return;
      const task = result.task;
      assert.match(task.id, UUID);
      assert.match(task.createdAt, ISO);
      assert.equal(task.updatedAt, task.createdAt);
      const expected: Task = {
        ...input,
        id: task.id,
        state: "queued",
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
        createdAt: task.createdAt,
        updatedAt: task.updatedAt,
      };
      assert.deepEqual(task, expected);
      assert.deepEqual(await t.store.get(task.id), expected);
    });

    it("keeps the requester's own key a task runs on (never the key: whose, which provider, its last four)", async () => {
      const ownKey = { login: "alice", provider: "openai", last4: "abcd" };
      const created = await t.store.create(newTask({ ownKey }), "alice", "start");
      assert.ok(created.created);
      assert.deepEqual(created.task.ownKey, ownKey);
      assert.deepEqual((await t.store.get(created.task.id))?.ownKey, ownKey);
      const renewed = { ...ownKey, last4: "wxyz" };
      assert.deepEqual((await t.store.update(created.task.id, { ownKey: renewed })).ownKey, renewed);
      await assert.rejects(t.store.create(newTask({ ownKey: { login: "", provider: "openai", last4: "abcd" } }), "a", "r"), /ownKey.login must be a non-empty string/);
    });

    it("writes and reads back every patchable field, including JSON ones", async () => {
      const created = await t.store.create(newTask(), "alice", "start");
      assert.ok(created.created);
      const patch = fullPatch();
      const updated = await t.store.update(created.task.id, patch);
      assert.deepEqual({ ...updated, updatedAt: "x" }, { ...created.task, ...patch, updatedAt: "x" });
      assert.ok(updated.updatedAt >= created.task.updatedAt);
      assert.deepEqual(await t.store.get(created.task.id), updated);
      const cleared = await t.store.update(created.task.id, { plan: null, failure: null, usage: null, branch: null, activity: undefined });
      assert.equal(cleared.plan, null);
      assert.equal(cleared.failure, null);
      assert.equal(cleared.usage, null);
      assert.equal(cleared.branch, null);
      assert.equal(cleared.activity, patch.activity, "undefined leaves a field alone");
    });

    it("rejects bad input with a clear error", async () => {
      await assert.rejects(t.store.create(newTask({ issueNumber: 0 }), "a", "r"), /issueNumber must be a positive integer/);
      await assert.rejects(t.store.create(newTask({ owner: " " }), "a", "r"), /owner must be a non-empty string/);
      await assert.rejects(t.store.create(newTask({ kind: "pr" as Task["kind"] }), "a", "r"), /kind must be one of/);
      const created = await t.store.create(newTask(), "alice", "start");
      assert.ok(created.created);
      await assert.rejects(t.store.update(created.task.id, { state: "done" } as TaskPatch), /"state" is not a task field that can be updated/);
      await assert.rejects(t.store.update(created.task.id, { planVersion: 1.5 }), /planVersion" must be an integer/);
      await assert.rejects(t.store.update(created.task.id, { requestedBy: null } as unknown as TaskPatch), /cannot be null/);
      await assert.rejects(t.store.update(created.task.id, { approvalKind: "robot" } as unknown as TaskPatch), /approvalKind" must be one of person, auto/);
      await assert.rejects(t.store.update(created.task.id, { costEstimateUsd: Number.NaN }), /costEstimateUsd" must be a finite number/);
      await assert.rejects(t.store.update(created.task.id, { face: "fax" } as unknown as TaskPatch), /face" must be one of thread/);
      await assert.rejects(t.store.update("no-such-task", { activity: "x" }), TaskNotFoundError);
      assert.equal(await t.store.get("no-such-task"), null);
      assert.deepEqual(await t.store.history("no-such-task"), []);
    });
  });

  describe("one active task per issue", () => {
    it("refuses a second live task on the same issue and returns the active one", async () => {
      const first = await t.store.create(newTask({ owner: "Octo-Org", repo: "Hello", issueNumber: 3 }), "alice", "start");
      assert.ok(first.created);
      const second = await t.store.create(newTask({ owner: "Octo-Org", repo: "Hello", issueNumber: 3 }), "bob", "start again");
      assert.deepEqual(second, { created: false, active: first.task });
      const otherCase = await t.store.create(newTask({ owner: "octo-org", repo: "hello", issueNumber: 3 }), "bob", "start");
      assert.equal(otherCase.created, false, "owner and repository names compare case-insensitively, as on GitHub");
      assert.deepEqual(await t.store.history(first.task.id).then((h) => h.length), 1, "a refused create writes no history");
    });

    it("allows other issues and repositories, and a new task once the old one ended", async () => {
      const owner = newTask().owner;
      const first = await t.store.create(newTask({ owner, issueNumber: 1 }), "alice", "start");
      assert.ok(first.created);
      assert.ok((await t.store.create(newTask({ owner, issueNumber: 2 }), "alice", "start")).created);
      assert.ok((await t.store.create(newTask({ owner, repo: "other", issueNumber: 1 }), "alice", "start")).created);
      for (const end of ["cancelled", "failed"] as const) {
        const live = await t.store.findActive(owner, "hello-world", 1);
        assert.ok(live);
        assert.ok(await t.store.transition(live.id, { from: "queued", to: end, actor: "alice", reason: `${end} it` }));
        const next = await t.store.create(newTask({ owner, issueNumber: 1 }), "alice", "start over");
        assert.ok(next.created, `a new task after the previous one was ${end}`);
      }
    });

    it("never creates two tasks from one comment, even after the first ended", async () => {
      const input = newTask({ issueNumber: 5 });
      const first = await t.store.create(input, "alice", "comment");
      assert.ok(first.created);
      assert.deepEqual(await t.store.create(input, "alice", "redelivered"), { created: false, active: first.task });
      const done = await t.store.transition(first.task.id, { from: "queued", to: "cancelled", actor: "alice", reason: "stop" });
      assert.ok(done);
      const again = await t.store.create(input, "alice", "redelivered late");
      assert.equal(again.created, false);
      assert.equal("active" in again && again.active.id, first.task.id, "the finished task that comment made is returned");
      const label = await t.store.create({ ...input, triggerCommentId: null }, "alice", "label");
      assert.ok(label.created, "tasks without a comment (label triggers) do not collide on the comment id");
    });

    it("keeps the rule under concurrent creates", async () => {
      const owner = newTask().owner;
      const results = await Promise.all(Array.from({ length: 20 }, () => t.store.create(newTask({ owner, issueNumber: 9 }), "alice", "race")));
      const created = results.filter((r) => r.created);
      assert.equal(created.length, 1);
      const winner = created[0]!.created ? created[0]!.task : undefined;
      for (const r of results) if (!r.created) assert.equal("active" in r && r.active.id, winner?.id);
    });
  });

  describe("durability and lifecycle", () => {
    it("keeps tasks, history and rules across a reopen", async () => {
      const reopen = t.fixture.reopen;
      assert.ok(reopen, "every store fixture must offer reopen() so durability is checked");
      const created = await t.store.create(newTask(), "alice", "start");
      assert.ok(created.created);
      await t.store.transition(created.task.id, { from: "queued", to: "planning", actor: "worker", reason: "picked up", patch: { activity: "reading" } });
      const before = await t.store.get(created.task.id);
      const history = await t.store.history(created.task.id);
      await t.store.close();
      const again = await reopen();
      try {
        assert.deepEqual(await again.get(created.task.id), before);
        assert.deepEqual(await again.history(created.task.id), history);
        const dup = await again.create(newTask({ owner: created.task.owner, issueNumber: created.task.issueNumber }), "bob", "x");
        assert.equal(dup.created, false);
      } finally {
        await again.close();
      }
    });

    it("rejects use after close, and close twice is harmless", async () => {
      await t.store.close();
      await t.store.close();
      await assert.rejects(t.store.get("anything"), /closed/);
      await assert.rejects(t.store.create(newTask(), "a", "r"), /closed/);
    });
  });
}
