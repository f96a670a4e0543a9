/**
 * The in-process feed and the store decorator, on a real SQLite store: a
 * subscriber hears of every write that grows its task's log (create,
 * transition, appendEvents, addMessage) and of nothing else; unsubscribing
 * stops the notices; a subscriber that throws keeps no other from its notice.
 */
import { afterEach, beforeEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { createInProcessFeed } from "../../src/events/in-process.ts";
import type { EventFeed } from "../../src/events/port.ts";
import { withEventFeed } from "../../src/events/with-event-feed.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { newTask } from "../store/fixtures.ts";
import { sqliteStoreFixture } from "../store/sqlite-fixture.ts";
import type { StoreFixture } from "../store/contract.ts";

describe("in-process event feed", () => {
  let fixture: StoreFixture;
  let feed: EventFeed;
  let store: TaskStore;
  beforeEach(async () => {
    fixture = await sqliteStoreFixture();
    feed = createInProcessFeed();
    store = withEventFeed(fixture.store, feed);
  });
  afterEach(async () => {
    await store.close();
    await fixture.cleanup();
  });

  it("tells the task's subscribers of every write that grows its log, and only those", async () => {
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const id = created.task.id;
    const heard: string[] = [];
    const other: string[] = [];
    const stop = feed.subscribe(id, () => heard.push("a"));
    feed.subscribe("another-task", () => other.push("x"));
    await store.transition(id, { from: "queued", to: "planning", actor: "openjules", reason: "planning" });
    await store.transition(id, { from: "queued", to: "planning", actor: "openjules", reason: "late duplicate" });
    await store.appendEvents(id, [{ type: "activity", line: "reading" }]);
    await store.appendEvents(id, []);
    await store.addMessage(id, { author: "alice", face: "cli", body: "also the README" });
    await store.update(id, { activity: "x" });
    assert.deepEqual(heard, ["a", "a", "a"], "transition, append and message; not a refused transition, an empty append or an update");
    stop();
    stop();
    await store.appendEvents(id, [{ type: "activity", line: "more" }]);
    assert.equal(heard.length, 3, "no notice after unsubscribing");
    assert.deepEqual(other, []);
    const events = await store.readEvents(id, 0, 10);
    assert.deepEqual(
      events.map((e) => e.data.type),
      ["state", "state", "activity", "message", "activity"],
    );
  });

  it("notifies a new task's subscribers when it is created, and keeps notifying after a subscriber throws", async () => {
    const warnings: string[] = [];
    const logged = createInProcessFeed({ logger: { info: () => {}, warn: (_d, m) => warnings.push(m), error: () => {} } });
    const heard: number[] = [];
    const input = newTask();
    const wrapped = withEventFeed(fixture.store, logged);
    const first = await wrapped.create(input, "alice", "start");
    assert.ok(first.created);
    logged.subscribe(first.task.id, () => {
      throw new Error("broken subscriber");
    });
    logged.subscribe(first.task.id, () => heard.push(1));
    await wrapped.appendEvents(first.task.id, [{ type: "activity", line: "x" }]);
    assert.deepEqual(heard, [1]);
    assert.equal(warnings.length, 1);
  });

  it("passes the store's accounts through (they write nothing to a task's log)", async () => {
    assert.equal(store.accounts, fixture.store.accounts);
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const heard: string[] = [];
    feed.subscribe(created.task.id, () => heard.push("a"));
    await store.accounts.putSummary({ taskId: created.task.id, textHash: "0".repeat(64), text: "Done.", audio: null, engine: null, createdAt: "2030-01-01T00:00:00.000Z" });
    assert.equal((await fixture.store.accounts.getSummary(created.task.id))?.text, "Done.");
    assert.deepEqual(heard, []);
  });
});
