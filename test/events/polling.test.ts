/**
 * The polling feed on the PostgreSQL store (no Redis): a subscriber here
 * hears of an event another process wrote, within a few intervals; a task's
 * first poll gives a notice (what was written while subscribing is read);
 * the store is asked nothing while no one is subscribed.
 */
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { createPollingFeed, type EventIdSource } from "../../src/events/polling.ts";
import type { EventFeed } from "../../src/events/port.ts";
import { openPostgresStore, type PostgresTaskStore } from "../../src/store/postgres/index.ts";
import { createTestSchema, type TestSchema } from "../helpers/services.ts";
import { newTask } from "../store/fixtures.ts";
import { nextNotice, startWriter, type WriterProcess } from "./child.ts";

describe("polling event feed on PostgreSQL", () => {
  let schema: TestSchema;
  let store: PostgresTaskStore;
  const feeds: EventFeed[] = [];
  const writers: WriterProcess[] = [];
  beforeAll(async () => {
    schema = await createTestSchema("event-feed");
    store = await openPostgresStore(schema.url, { maxConnections: 2 });
  });
  afterEach(async () => {
    for (const w of writers.splice(0)) w.kill();
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });
  afterAll(async () => {
    await store.close();
    await schema.drop();
  });
  const taskId = async () => {
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    return created.task.id;
  };
  const counted = () => {
    const asked: (readonly string[])[] = [];
    const source: EventIdSource = { latestEventIds: (ids) => (asked.push([...ids]), store.latestEventIds(ids)) };
    return { source, asked };
  };

  it("tells a subscriber of an event that another process wrote", async () => {
    const id = await taskId();
    const feed = createPollingFeed(store, { intervalMs: 50 });
    feeds.push(feed);
    const notices = nextNotice();
    const first = notices.next();
    feed.subscribe(id, notices.onNotice);
    await first;
    const writer = await startWriter([schema.url, id]);
    writers.push(writer);
    const heard = notices.next();
    const written = await writer.write();
    await heard;
    assert.equal((await store.readEvents(id, 0, 10)).at(-1)?.id, written);
    await sleep(200);
    assert.equal(notices.count(), 2, "no further notice while nothing new was written");
  });

  it("asks the store only while someone is subscribed, in one query for all watched tasks", async () => {
    const [a, b] = [await taskId(), await taskId()];
    const { source, asked } = counted();
    const feed = createPollingFeed(source, { intervalMs: 20 });
    feeds.push(feed);
    await sleep(100);
    assert.equal(asked.length, 0, "nothing is polled without a subscriber");
    const notices = nextNotice();
    const stopA = feed.subscribe(a, notices.onNotice);
    const stopB = feed.subscribe(b, () => {});
    await notices.next();
    await store.appendEvents(a, [{ type: "activity", line: "x" }]);
    await notices.next();
    assert.ok(
      asked.every((ids) => ids.length === 2 && ids.includes(a) && ids.includes(b)),
      JSON.stringify(asked),
    );
    stopA();
    stopB();
    await sleep(60);
    const after = asked.length;
    await sleep(150);
    assert.equal(asked.length, after, "polling stops with the last subscriber");
  });

  it("tells this process's own subscribers at once on notify", async () => {
    const feed = createPollingFeed(store, { intervalMs: 60_000 });
    feeds.push(feed);
    const heard: string[] = [];
    feed.subscribe("t1", () => heard.push("t1"));
    await feed.notify("t1");
    assert.deepEqual(heard, ["t1"]);
    assert.throws(() => createPollingFeed(store, { intervalMs: 1 }), /at least 10 ms/);
  });
});
