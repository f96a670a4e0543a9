/**
 * TaskStore contract, part 6: the task's event log. Appends keep their order
 * and ids increase (across tasks too); every create and transition writes its
 * `state` event with the history's actor, face and reason; reads page after
 * an id; retention keeps the newest events of a task; bad input is refused.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import type { LogEventData } from "../../src/domain/model.ts";
import { TaskNotFoundError } from "../../src/store/errors.ts";
import type { TaskStore } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { newTask } from "./fixtures.ts";

export async function createdId(store: TaskStore): Promise<string> {
  const created = await store.create(newTask(), "alice", "start");
  assert.ok(created.created);
  return created.task.id;
}

const output = (i: number): LogEventData => ({ type: "output", source: "tests", chunk: `line ${i}\n` });

export function logCases(t: ContractContext): void {
  describe("event log", () => {
    it("starts with the queued state, appends in order with increasing ids, and reads after an id", async () => {
      const id = await createdId(t.store);
      const other = await createdId(t.store);
      const [first] = await t.store.readEvents(id, 0, 10);
      assert.deepEqual(first?.data, { type: "state", from: null, to: "queued", actor: "alice", face: "thread", reason: "start" });
      const written = await t.store.appendEvents(id, [{ type: "activity", line: "reading files" }, output(1), { type: "pull_request", number: 12, url: "https://x/pull/12" }]);
      const elsewhere = await t.store.appendEvents(other, [output(2)]);
      const more = await t.store.appendEvents(id, [{ type: "usage", usage: { inputTokens: 1, outputTokens: 2, calls: 1, wallMs: 3, costUsd: 0.5 } }]);
      const ids = [first!.id, ...written.map((e) => e.id), elsewhere[0]!.id, more[0]!.id];
      assert.deepEqual(
        [...ids].sort((a, b) => a - b),
        ids,
        "ids increase with every event the store writes",
      );
      assert.equal(new Set(ids).size, ids.length);
      const all = await t.store.readEvents(id, 0, 100);
      assert.deepEqual(
        all.map((e) => e.data.type),
        ["state", "activity", "output", "pull_request", "usage"],
      );
      assert.deepEqual(all.slice(1, 4), written);
      for (const e of all) assert.equal(e.taskId, id);
      assert.deepEqual(await t.store.readEvents(id, written[0]!.id, 2), written.slice(1, 3), "after an id, at most limit");
      assert.deepEqual(await t.store.readEvents(id, more[0]!.id, 10), []);
      assert.deepEqual(await t.store.appendEvents(id, []), []);
    });

    it("writes a state event with every transition, with the face it came through", async () => {
      const id = await createdId(t.store);
      await t.store.transition(id, { from: "queued", to: "planning", actor: "openjules", reason: "planning started" });
      await t.store.transition(id, { from: "planning", to: "cancelled", actor: "bob", face: "cli", reason: "/cancel" });
      assert.equal(await t.store.transition(id, { from: "planning", to: "cancelled", actor: "bob", reason: "again" }), null);
      const states = (await t.store.readEvents(id, 0, 100)).map((e) => e.data);
      assert.deepEqual(states.slice(1), [
        { type: "state", from: "queued", to: "planning", actor: "openjules", face: "system", reason: "planning started" },
        { type: "state", from: "planning", to: "cancelled", actor: "bob", face: "cli", reason: "/cancel" },
      ]);
      const history = await t.store.history(id);
      assert.deepEqual(
        history.map((e) => e.face),
        ["thread", "system", "cli"],
        "history records the face too (system unless given)",
      );
    });

    it("never lets a reader that follows the last id miss an event written concurrently", async () => {
      const id = await createdId(t.store);
      let writing = true;
      const seen: number[] = [];
      const follow = (async () => {
        let after = 0;
        while (writing || (await t.store.readEvents(id, after, 1)).length > 0) {
          const page = await t.store.readEvents(id, after, 50);
          for (const e of page) seen.push(e.id);
          after = page.at(-1)?.id ?? after;
        }
      })();
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 15; i++) await t.store.appendEvents(id, [output(w * 100 + i), { type: "activity", line: `writer ${w}` }]);
      });
      await Promise.all(writers);
      writing = false;
      await follow;
      const all = (await t.store.readEvents(id, 0, 1000)).map((e) => e.id);
      assert.equal(all.length, 1 + 4 * 15 * 2);
      assert.deepEqual(seen, all, "the follower saw every event, in order, none appearing behind its last id");
    });

    it("refuses bad appends and reads", async () => {
      const id = await createdId(t.store);
      await assert.rejects(t.store.appendEvents("no-such-task", [output(1)]), TaskNotFoundError);
      await assert.rejects(t.store.appendEvents(id, [{ type: "gossip" } as unknown as LogEventData]), /An event needs a type/);
      await assert.rejects(t.store.readEvents(id, -1, 10), RangeError);
      await assert.rejects(t.store.readEvents(id, 0, 0), RangeError);
      await assert.rejects(t.store.readEvents(id, 0, 100_000), RangeError);
      assert.deepEqual(await t.store.readEvents("no-such-task", 0, 10), []);
      assert.equal((await t.store.readEvents(id, 0, 10)).length, 1, "a refused append writes nothing");
    });

    it("keeps text with quotes, newlines and non-ASCII as written", async () => {
      const id = await createdId(t.store);
      const chunk = 'He said "hi"\n\ttabs — ünïcode 🎉 \\ backslash';
      await t.store.appendEvents(id, [{ type: "output", source: "agent", chunk }]);
      const [, event] = await t.store.readEvents(id, 0, 10);
      assert.deepEqual(event?.data, { type: "output", source: "agent", chunk });
    });

    it("stores text cut inside a character with U+FFFD in its place, on every backend", async () => {
      const id = await createdId(t.store);
      const [written] = await t.store.appendEvents(id, [{ type: "output", source: "tests", chunk: "cut \ud83c" }]);
      assert.deepEqual(written?.data, { type: "output", source: "tests", chunk: "cut \ufffd" });
      assert.deepEqual((await t.store.readEvents(id, 0, 10)).at(-1), written);
      const message = await t.store.addMessage(id, { author: "alice", face: "api", body: "half \udfff" });
      assert.equal(message.body, "half \ufffd");
      assert.equal((await t.store.takeMessages(id))[0]?.body, "half \ufffd");
    });
  });
}

/** Retention, on a store opened with a small log (`eventLogMax` 5, pruned on every append). */
async function assertNewestKept(store: TaskStore): Promise<void> {
  const id = await createdId(store);
  const other = await createdId(store);
  for (let i = 1; i <= 12; i++) await store.appendEvents(id, [output(i)]);
  await store.appendEvents(id, [output(13), output(14)]);
  const kept = await store.readEvents(id, 0, 100);
  assert.deepEqual(
    kept.map((e) => (e.data.type === "output" ? e.data.chunk : e.data.type)),
    ["line 10\n", "line 11\n", "line 12\n", "line 13\n", "line 14\n"],
    "the newest 5 events are kept, in order",
  );
  assert.equal((await store.readEvents(other, 0, 100)).length, 1, "another task's log is its own");
}

/** Pruned every 4 appends: a task's log never holds more than max + 3 events, and never fewer than max once it had them. */
async function assertPrunedCheaply(store: TaskStore): Promise<void> {
  const id = await createdId(store);
  for (let i = 1; i <= 30; i++) {
    await store.appendEvents(id, [output(i)]);
    const count = (await store.readEvents(id, 0, 100)).length;
    assert.ok(count <= 5 + 3 && count >= Math.min(i + 1, 5), `after ${i} appends the log holds ${count}`);
  }
  const last = (await store.readEvents(id, 0, 100)).at(-1);
  assert.deepEqual(last?.data, output(30));
}

export function retentionCases(t: ContractContext): void {
  it("keeps the newest events of a task (retention), pruning cheaply", async () => {
    const every = await t.fixture.openWith({ eventLogMax: 5, eventLogPruneEvery: 1 });
    const sometimes = await t.fixture.openWith({ eventLogMax: 5, eventLogPruneEvery: 4 });
    try {
      await assertNewestKept(every);
      await assertPrunedCheaply(sometimes);
    } finally {
      await every.close();
      await sometimes.close();
    }
  });
}
