/**
 * TaskStore contract: questions (`kind: "ask"`, `/jules ask`). A question is
 * stored as one and read back as one; the store applies the question's own
 * moves with every transition (queued → planning → done, or failed or
 * cancelled) and refuses any move towards a plan, an approval or work; its
 * kind cannot be patched away.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import type { TaskState } from "../../src/domain/model.ts";
import { IllegalTransitionError } from "../../src/domain/state-machine.ts";
import type { TaskPatch } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { newTask } from "./fixtures.ts";

export function askCases(t: ContractContext): void {
  describe("questions (kind ask)", () => {
    const question = async () => {
      const created = await t.store.create(newTask({ kind: "ask", instruction: "Where is the greeting set?" }), "alice", "ask");
      assert.ok(created.created);
      return created.task;
    };

    it("is stored and read back as a question, by every query", async () => {
      const task = await question();
      assert.equal(task.kind, "ask");
      assert.equal((await t.store.get(task.id))?.kind, "ask");
      assert.equal((await t.store.findActive(task.owner, task.repo, 7))?.kind, "ask");
      assert.equal((await t.store.findLatest(task.owner, task.repo, 7))?.kind, "ask");
      const listed = await t.store.list({ owner: task.owner });
      assert.deepEqual(
        listed.map((l) => l.kind),
        ["ask"],
      );
      // One live task per issue holds for questions too.
      const second = await t.store.create(newTask({ owner: task.owner, kind: "issue" }), "bob", "start");
      assert.equal(second.created, false);
    });

    it("is answered: queued → planning → done, recorded in the history", async () => {
      const task = await question();
      assert.ok(await t.store.transition(task.id, { from: "queued", to: "planning", actor: "openjules", reason: "answering" }));
      const done = await t.store.transition(task.id, { from: "planning", to: "done", actor: "openjules", reason: "answered", patch: { answer: "In src/hello.ts." } });
      assert.equal(done?.state, "done");
      assert.equal(done?.kind, "ask");
      assert.deepEqual(
        (await t.store.history(task.id)).map((e) => e.to),
        ["queued", "planning", "done"],
      );
    });

    it("can fail or be cancelled from each of its live states", async () => {
      for (const end of ["failed", "cancelled"] as const) {
        const queued = await question();
        assert.equal((await t.store.transition(queued.id, { from: "queued", to: end, actor: "openjules", reason: end }))?.state, end);
        const planning = await question();
        await t.store.transition(planning.id, { from: "queued", to: "planning", actor: "openjules", reason: "answering" });
        assert.equal((await t.store.transition(planning.id, { from: "planning", to: end, actor: "openjules", reason: end }))?.state, end);
      }
    });

    it("never moves towards a plan, an approval or work, whatever is asked: the task stays where it was", async () => {
      const towards: TaskState[] = ["awaiting_approval", "revising", "approved", "working", "testing", "paused"];
      const queued = await question();
      const planning = await question();
      await t.store.transition(planning.id, { from: "queued", to: "planning", actor: "openjules", reason: "answering" });
      for (const task of [queued, planning]) {
        const from = (await t.store.get(task.id))!.state;
        for (const to of [...towards, ...(from === "queued" ? (["done"] as const) : [])]) {
          await assert.rejects(
            t.store.transition(task.id, { from, to, actor: "mallory", reason: "try", patch: { approvedBy: "mallory", approvedPlanHash: "sha256:x" } }),
            (e: unknown) => e instanceof IllegalTransitionError && /question/.test(e.message),
            `${from} → ${to}`,
          );
        }
        const after = await t.store.get(task.id);
        assert.equal(after?.state, from);
        assert.equal(after?.approvedBy, null);
      }
    });

    it("keeps its kind: a patch cannot make it another kind", async () => {
      const task = await question();
      await assert.rejects(t.store.update(task.id, { kind: "issue" } as unknown as TaskPatch), /"kind" is not a task field that can be updated/);
      assert.equal((await t.store.get(task.id))?.kind, "ask");
    });
  });
}
