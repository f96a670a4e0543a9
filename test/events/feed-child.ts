/**
 * Another process writing to a task's event log, for the feed tests: opens
 * the store at argv[2] (a PostgreSQL URL or a SQLite file), says "ready",
 * waits for "go" on stdin, appends one `activity` event to task argv[3]
 * (through withEventFeed on a Redis feed when argv[4] is a redis:// URL, on
 * channel argv[5]; else the store alone, as the polling feed expects), prints
 * "wrote <id>" and exits.
 */
import { once } from "node:events";
import { tmpdir } from "node:os";
import { createRedisFeed } from "../../src/events/redis.ts";
import { withEventFeed } from "../../src/events/with-event-feed.ts";
import { openStore } from "../../src/store/open.ts";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";

const [where, taskId, redisUrl, channel] = process.argv.slice(2);
if (!where || !taskId) throw new Error("usage: feed-child.ts <database url or sqlite file> <taskId> [redis url] [channel]");
const opened = /^postgres(ql)?:\/\//.test(where) ? await openStore({ dataDir: tmpdir(), databaseUrl: where }) : openSqliteStore(where);
const store = redisUrl?.startsWith("redis") ? withEventFeed(opened, createRedisFeed({ url: redisUrl, ...(channel ? { channel } : {}) })) : opened;
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
process.stdin.pause();
const [event] = await store.appendEvents(taskId, [{ type: "activity", line: `written by process ${process.pid}` }]);
process.stdout.write(`wrote ${event?.id}\n`);
await store.close();
