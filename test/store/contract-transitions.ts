/**
 * TaskStore contract, part 2: conditional transitions. A move applies only
 * from the expected state (and plan hash), exactly one of many concurrent
 * approvals wins, illegal moves throw, and every applied move is recorded in
 * the history with its time, actor and reason, in order.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import type { Task, TaskState } from "../../src/domain/model.ts";
import { IllegalTransitionError } from "../../src/domain/state-machine.ts";
import { TaskNotFoundError } from "../../src/store/errors.ts";
import type { TaskStore } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { planHash } from "../../src/domain/plan-hash.ts";
import { newTask, threadSnapshot } from "./fixtures.ts";

async function taskIn(store: TaskStore, path: TaskState[], planHash = "sha256:plan-1"): Promise<Task> {
  const created = await store.create(newTask(), "alice", "start");
  assert.ok(created.created);
  let task = created.task;
  for (const to of path) {
    const patch = to === "awaiting_approval" ? { planHash, planVersion: task.planVersion + 1 } : {};
    const next = await store.transition(task.id, { from: task.state, to, actor: "worker", reason: `to ${to}`, patch });
    assert.ok(next, `setup move ${task.state} → ${to}`);
    task = next;
  }
  return task;
}

const approve = (planHash: string, actor = "carol") => ({
  from: "awaiting_approval" as const,
  to: "approved" as const,
  actor,
  reason: "/approve",
  planHash,
  patch: { approvedBy: actor, approvedPlanHash: planHash },
});

export function transitionCases(t: ContractContext): void {
  describe("conditional transitions", () => {
    it("applies from an expected state, writes the patch, and records it", async () => {
      const task = await taskIn(t.store, []);
      const moved = await t.store.transition(task.id, { from: ["queued", "revising"], to: "planning", actor: "worker", reason: "picked up", patch: { activity: "reading files" } });
      assert.ok(moved);
      assert.equal(moved.state, "planning");
      assert.equal(moved.activity, "reading files");
      assert.ok(moved.updatedAt >= task.updatedAt);
      assert.deepEqual(await t.store.get(task.id), moved);
    });

    it("returns null and changes nothing when the state is not one of `from`", async () => {
      const task = await taskIn(t.store, ["planning"]);
      const result = await t.store.transition(task.id, { from: ["queued"], to: "planning", actor: "worker", reason: "late duplicate", patch: { activity: "x" } });
      assert.equal(result, null);
      assert.deepEqual(await t.store.get(task.id), task);
      assert.equal((await t.store.history(task.id)).length, 2);
      assert.equal(await t.store.transition(task.id, { from: "queued", to: "working", actor: "w", reason: "r" }), null, "the current state is checked first");
    });

    it("throws IllegalTransitionError for a forbidden move from the current state", async () => {
      const task = await taskIn(t.store, []);
      await assert.rejects(
        t.store.transition(task.id, { from: "queued", to: "working", actor: "w", reason: "skip" }),
        (e: unknown) => e instanceof IllegalTransitionError && e.from === "queued" && e.to === "working",
      );
      const done = await t.store.transition(task.id, { from: "queued", to: "cancelled", actor: "alice", reason: "/cancel" });
      assert.ok(done);
      await assert.rejects(t.store.transition(task.id, { from: ["cancelled"], to: "failed", actor: "w", reason: "r" }), IllegalTransitionError);
      assert.equal((await t.store.get(task.id))?.state, "cancelled");
      await assert.rejects(t.store.transition("no-such-task", { from: "queued", to: "planning", actor: "w", reason: "r" }), TaskNotFoundError);
      await assert.rejects(t.store.transition(task.id, { from: [], to: "planning", actor: "w", reason: "r" }), /at least one state/);
      await assert.rejects(t.store.transition(task.id, { from: "queued", to: "sleeping" as TaskState, actor: "w", reason: "r" }), /"sleeping" is not a task state/);
    });

    it("ties approval to the plan hash", async () => {
      const task = await taskIn(t.store, ["planning", "awaiting_approval"], "sha256:new");
      assert.equal(await t.store.transition(task.id, approve("sha256:old")), null);
      assert.equal((await t.store.get(task.id))?.state, "awaiting_approval");
      const approved = await t.store.transition(task.id, approve("sha256:new"));
      assert.equal(approved?.state, "approved");
      assert.equal(approved?.approvedPlanHash, "sha256:new");
    });

    it("lets exactly one of 20 concurrent approvals through", async () => {
      const task = await taskIn(t.store, ["planning", "awaiting_approval"], "sha256:p");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.store.transition(task.id, approve("sha256:p", `user${i}`))));
      const winners = results.filter((r) => r !== null);
      assert.equal(winners.length, 1);
      const history = await t.store.history(task.id);
      assert.equal(history.filter((e) => e.to === "approved").length, 1);
      assert.equal(history.at(-1)?.actor, winners[0]?.approvedBy);
    });

    it("keeps each plan version with its own thread snapshot, bound to the approval by the hash", async () => {
      const task = await taskIn(t.store, ["planning"]);
      const plan = { summary: "Greet from GREETING\u0000", steps: [{ title: "Read it", files: ["src/hello.ts"] }], risks: [], verification: "npm test" };
      const v1 = threadSnapshot("Version A of the issue.");
      const v2 = threadSnapshot("Version B of the issue, edited.");
      const post = (from: TaskState, context: typeof v1, version: number) =>
        t.store.transition(task.id, {
          from,
          to: "awaiting_approval",
          actor: "worker",
          reason: `plan v${version}`,
          patch: { plan, planHash: planHash(plan, context), planContext: context, planVersion: version },
        });
      assert.equal((await post("planning", v1, 1))?.planContext?.body, v1.body);
      assert.ok(await t.store.transition(task.id, { from: "awaiting_approval", to: "revising", actor: "bob", reason: "/revise" }));
      const waiting = await post("revising", v2, 2);
      assert.deepEqual(waiting?.planContext, v2);
      assert.notEqual(planHash(plan, v1), planHash(plan, v2), "the same plan from other text is another approval");

      assert.equal(await t.store.transition(task.id, approve(planHash(plan, v1))), null, "an approval of plan v1's text does not apply to v2");
      const approved = await t.store.transition(task.id, approve(planHash(plan, v2)));
      assert.equal(approved?.state, "approved");
      const stored = await t.store.get(task.id);
      assert.deepEqual(stored?.planContext, v2);
      // What execution checks: the hash recomputed from what the store returns is the approved one.
      assert.equal(planHash(stored!.plan!, stored!.planContext), stored?.approvedPlanHash);
      assert.equal((await t.store.update(task.id, { planContext: null })).planContext, null);
    });

    it("records the history in order with from, to, actor, reason and time", async () => {
      const created = await t.store.create(newTask(), "alice", "comment 101");
      assert.ok(created.created);
      const id = created.task.id;
      const moves: [TaskState, string, string][] = [
        ["planning", "worker-1", "picked up"],
        ["awaiting_approval", "worker-1", "plan posted"],
        ["revising", "bob", "/revise shorter"],
        ["awaiting_approval", "worker-2", "plan 2 posted"],
        ["approved", "carol", "/approve"],
        ["working", "worker-2", "executing"],
        ["testing", "worker-2", "running tests"],
        ["working", "worker-2", "fixing tests"],
        ["testing", "worker-2", "running tests again"],
        ["done", "worker-2", "pull request #12"],
      ];
      let state: TaskState = "queued";
      for (const [to, actor, reason] of moves) {
        assert.ok(await t.store.transition(id, { from: state, to, actor, reason }), `${state} → ${to}`);
        state = to;
      }
      const history = await t.store.history(id);
      assert.deepEqual(
        history.map(({ taskId, from, to, actor, reason }) => ({ taskId, from, to, actor, reason })),
        [
          { taskId: id, from: null, to: "queued", actor: "alice", reason: "comment 101" },
          ...moves.map(([to, actor, reason], i) => ({ taskId: id, from: i === 0 ? "queued" : moves[i - 1]![0], to, actor, reason })),
        ],
      );
      for (let i = 1; i < history.length; i++) assert.ok(history[i]!.at >= history[i - 1]!.at, "times never go backwards");
      assert.equal(history[0]?.at, created.task.createdAt);
      assert.equal(history.at(-1)?.at, (await t.store.get(id))?.updatedAt);
    });
  });
}
