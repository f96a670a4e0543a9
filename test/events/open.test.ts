/**
 * The feed chosen by the settings: Redis with REDIS_URL, polling the store
 * with DATABASE_URL alone, in-process for the embedded SQLite setup; the
 * polling feed needs the store as opened, not a wrapped one.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { createInProcessFeed } from "../../src/events/in-process.ts";
import { eventFeedKind, openEventFeed } from "../../src/events/open.ts";
import { RedisEventFeed } from "../../src/events/redis.ts";
import { withEventFeed } from "../../src/events/with-event-feed.ts";
import { TEST_REDIS_URL } from "../helpers/services.ts";
import { sqliteStoreFixture } from "../store/sqlite-fixture.ts";

describe("openEventFeed", () => {
  it("chooses Redis, polling or in-process from the settings", async () => {
    assert.equal(eventFeedKind({ redisUrl: TEST_REDIS_URL, databaseUrl: "postgres://x/y" }), "redis");
    assert.equal(eventFeedKind({ databaseUrl: "postgres://x/y" }), "polling");
    assert.equal(eventFeedKind({}), "in-process");
    const fixture = await sqliteStoreFixture();
    try {
      const redis = await openEventFeed({ redisUrl: TEST_REDIS_URL }, fixture.store);
      assert.ok(redis instanceof RedisEventFeed);
      await redis.close();
      const polling = await openEventFeed({ databaseUrl: "postgres://x/y" }, fixture.store, { pollMs: 20 });
      const heard: string[] = [];
      polling.subscribe("t", () => heard.push("t"));
      await new Promise((resolve) => setTimeout(resolve, 80));
      assert.deepEqual(heard, ["t"], "the polling feed read the store (first poll notice)");
      await polling.close();
      const wrapped = withEventFeed(fixture.store, createInProcessFeed());
      await assert.rejects(openEventFeed({ databaseUrl: "postgres://x/y" }, wrapped), /needs the store as opened/);
      await assert.rejects(openEventFeed({ redisUrl: "http://nope" }, fixture.store), /REDIS_URL/);
    } finally {
      await fixture.store.close();
      await fixture.cleanup();
    }
  });

  it("gives deployments with their own JULES_REDIS_PREFIX their own channel: one never hears the other's notices", async () => {
    const fixture = await sqliteStoreFixture();
    const tag = `${process.pid}-${Date.now()}`;
    const a = await openEventFeed({ redisUrl: TEST_REDIS_URL, redisPrefix: `a-${tag}` }, fixture.store);
    const a2 = await openEventFeed({ redisUrl: TEST_REDIS_URL, redisPrefix: `a-${tag}` }, fixture.store);
    const b = await openEventFeed({ redisUrl: TEST_REDIS_URL, redisPrefix: `b-${tag}` }, fixture.store);
    try {
      const heard: string[] = [];
      a2.subscribe("t1", () => heard.push("a2"));
      b.subscribe("t1", () => heard.push("b"));
      // Both subscriptions in place (each then tells its own subscribers once, to re-read): only later notices count.
      await Promise.all([(a2 as RedisEventFeed).ready(), (b as RedisEventFeed).ready()]);
      heard.length = 0;
      await a.notify("t1");
      for (let i = 0; i < 100 && !heard.includes("a2"); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(heard.includes("a2"), "the same prefix hears the notice");
      assert.ok(!heard.includes("b"), "another prefix does not");
    } finally {
      await Promise.all([a.close(), a2.close(), b.close()]);
      await fixture.store.close();
      await fixture.cleanup();
    }
  });
});
