/**
 * The Redis pub/sub feed against the real Redis: a subscriber in this
 * process hears of an event another process wrote (through withEventFeed),
 * gets a notice when its subscription is in place, stops hearing once it
 * unsubscribed; a Redis that cannot be reached fails no write.
 */
import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createRedisFeed, type RedisEventFeed } from "../../src/events/redis.ts";
import { withEventFeed } from "../../src/events/with-event-feed.ts";
import { TEST_REDIS_URL } from "../helpers/services.ts";
import { newTask } from "../store/fixtures.ts";
import { sqliteStoreFixture } from "../store/sqlite-fixture.ts";
import type { StoreFixture } from "../store/contract.ts";
import { nextNotice, startWriter, type WriterProcess } from "./child.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("Redis event feed", () => {
  const open: { feeds: RedisEventFeed[]; fixtures: StoreFixture[]; writers: WriterProcess[] } = { feeds: [], fixtures: [], writers: [] };
  const feed = (channel: string) => {
    const f = createRedisFeed({ url: TEST_REDIS_URL, channel, logger: quiet });
    open.feeds.push(f);
    return f;
  };
  afterEach(async () => {
    for (const w of open.writers.splice(0)) w.kill();
    await Promise.all(open.feeds.splice(0).map((f) => f.close()));
    for (const f of open.fixtures.splice(0)) {
      await f.store.close();
      await f.cleanup();
    }
  });

  it("tells a subscriber of an event that another process wrote", async () => {
    const fixture = await sqliteStoreFixture();
    open.fixtures.push(fixture);
    const created = await fixture.store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const id = created.task.id;
    const channel = `ojtest-events-${randomUUID()}`;
    const subscriber = feed(channel);
    const notices = nextNotice();
    const settled = notices.next();
    subscriber.subscribe(id, notices.onNotice);
    subscriber.subscribe("another-task", () => assert.fail("another task's subscriber heard of it"));
    await subscriber.ready();
    await settled;
    assert.equal(notices.count(), 1, "one notice when the subscription is in place");

    const writer = await startWriter([fixture.where, id, TEST_REDIS_URL, channel]);
    open.writers.push(writer);
    const heard = notices.next();
    const written = await writer.write();
    await heard;
    const [, event] = await fixture.store.readEvents(id, 0, 10);
    assert.equal(event?.id, written);
    assert.equal(event?.data.type, "activity");
  });

  it("stops notices once unsubscribed, and other channels are not heard", async () => {
    const channel = `ojtest-events-${randomUUID()}`;
    const a = feed(channel);
    const elsewhere = feed(`${channel}-other`);
    const heard: string[] = [];
    const stop = a.subscribe("t1", () => heard.push("t1"));
    elsewhere.subscribe("t1", () => heard.push("elsewhere"));
    await Promise.all([a.ready(), elsewhere.ready()]);
    heard.length = 0;
    const notices = nextNotice();
    a.subscribe("t1", notices.onNotice);
    await feed(channel).notify("t1");
    await notices.next();
    stop();
    await feed(channel).notify("t1");
    await notices.next();
    assert.deepEqual(heard, ["t1"], "the first subscriber heard once; the other channel never");
  });

  it("fails no write when Redis cannot be reached; the event is in the store", async () => {
    const fixture = await sqliteStoreFixture();
    open.fixtures.push(fixture);
    const warnings: string[] = [];
    const down = createRedisFeed({ url: "redis://127.0.0.1:1", logger: { ...quiet, warn: (_d, m) => warnings.push(m) } });
    open.feeds.push(down);
    const store = withEventFeed(fixture.store, down, { logger: { ...quiet, warn: (_d, m) => warnings.push(m) } });
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const [event] = await store.appendEvents(created.task.id, [{ type: "activity", line: "kept" }]);
    assert.deepEqual((await fixture.store.readEvents(created.task.id, 0, 10)).at(-1), event);
    assert.ok(warnings.some((w) => /Could not announce the task's new events/.test(w)));
  });
});
