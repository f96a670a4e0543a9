/**
 * TaskStore contract, part 3: lookups. The active task of an issue, the latest
 * task of an issue, the task behind a pull request, and listing with owner,
 * repository and state filters, newest first, with paging.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import type { Task } from "../../src/domain/model.ts";
import type { NewTask } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { newTask, uniqueOwner } from "./fixtures.ts";

export function queryCases(t: ContractContext): void {
  const make = async (input: NewTask): Promise<Task> => {
    const result = await t.store.create(input, "alice", "start");
    assert.ok(result.created);
    return result.task;
  };
  const cancel = async (task: Task): Promise<Task> => {
    const done = await t.store.transition(task.id, { from: task.state, to: "cancelled", actor: "alice", reason: "/cancel" });
    assert.ok(done);
    return done;
  };

  describe("lookups", () => {
    it("finds the active task of an issue, and none once it ended", async () => {
      const owner = uniqueOwner();
      assert.equal(await t.store.findActive(owner, "hello-world", 7), null);
      const task = await make(newTask({ owner, issueNumber: 7 }));
      assert.deepEqual(await t.store.findActive(owner, "hello-world", 7), task);
      assert.deepEqual(await t.store.findActive(owner.toUpperCase(), "HELLO-WORLD", 7), task);
      assert.equal(await t.store.findActive(owner, "hello-world", 8), null);
      await cancel(task);
      assert.equal(await t.store.findActive(owner, "hello-world", 7), null);
    });

    it("finds the latest task of an issue, whatever its state", async () => {
      const owner = uniqueOwner();
      assert.equal(await t.store.findLatest(owner, "hello-world", 7), null);
      const first = await cancel(await make(newTask({ owner, issueNumber: 7 })));
      assert.deepEqual(await t.store.findLatest(owner, "hello-world", 7), first);
      const second = await make(newTask({ owner, issueNumber: 7 }));
      assert.deepEqual(await t.store.findLatest(owner, "hello-world", 7), second);
      const third = await make(newTask({ owner, issueNumber: 8 }));
      assert.deepEqual(await t.store.findLatest(owner, "hello-world", 7), second);
      assert.deepEqual(await t.store.findLatest(owner, "hello-world", 8), third);
    });

    it("finds the most recent task of a pull request", async () => {
      const owner = uniqueOwner();
      const opener = await cancel(await make(newTask({ owner, issueNumber: 7 })));
      assert.equal(await t.store.findByPullRequest(owner, "hello-world", 12), null);
      const withPr = await t.store.update(opener.id, { pullRequestNumber: 12, pullRequestUrl: `https://github.com/${owner}/hello-world/pull/12` });
      assert.deepEqual(await t.store.findByPullRequest(owner, "hello-world", 12), withPr);
      const followUp = await make(newTask({ owner, issueNumber: 12, kind: "follow_up" }));
      const later = await t.store.update(followUp.id, { pullRequestNumber: 12 });
      assert.deepEqual(await t.store.findByPullRequest(owner, "hello-world", 12), later);
      assert.equal(await t.store.findByPullRequest(owner, "other-repo", 12), null);
    });
  });

  describe("list", () => {
    it("filters by owner, repository and state, newest first", async () => {
      const owner = uniqueOwner();
      const a1 = await make(newTask({ owner, repo: "a", issueNumber: 1 }));
      const a2 = await cancel(await make(newTask({ owner, repo: "a", issueNumber: 2 })));
      const b1 = await make(newTask({ owner, repo: "b", issueNumber: 1 }));
      await make(newTask({ repo: "a", issueNumber: 1 }));
      const ids = (tasks: Task[]) => tasks.map((x) => x.id);
      assert.deepEqual(ids(await t.store.list({ owner })), [b1.id, a2.id, a1.id]);
      assert.deepEqual(ids(await t.store.list({ owner, repo: "a" })), [a2.id, a1.id]);
      assert.deepEqual(ids(await t.store.list({ owner, state: "cancelled" })), [a2.id]);
      assert.deepEqual(ids(await t.store.list({ owner, repo: "b", state: "queued" })), [b1.id]);
      assert.deepEqual(await t.store.list({ owner, state: "done" }), []);
      assert.deepEqual(await t.store.list({ owner: owner.toUpperCase(), repo: "B" }), [b1]);
      assert.ok((await t.store.list()).length >= 4, "no filter lists every owner");
    });

    it("pages without gaps or repeats", async () => {
      const owner = uniqueOwner();
      const made: string[] = [];
      for (let i = 1; i <= 7; i++) made.unshift((await make(newTask({ owner, issueNumber: i }))).id);
      const seen: string[] = [];
      for (let offset = 0; offset < 10; offset += 3) seen.push(...(await t.store.list({ owner, limit: 3, offset })).map((x) => x.id));
      assert.deepEqual(seen, made);
      assert.equal((await t.store.list({ owner })).length, 7, "the default limit covers a small list");
    });

    it("rejects bad paging and filters", async () => {
      await assert.rejects(t.store.list({ limit: 0 }), RangeError);
      await assert.rejects(t.store.list({ limit: 100_000 }), RangeError);
      await assert.rejects(t.store.list({ offset: -1 }), RangeError);
      await assert.rejects(t.store.list({ state: "sleeping" as Task["state"] }), /not a task state/);
    });
  });
}
