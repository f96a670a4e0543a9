import { afterEach, beforeEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import type { Logger } from "probot";
import type { LogEventData } from "../../src/domain/model.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { endRun, runEvents, withRunEvents } from "../../src/tasks/task-events.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { newTask } from "../store/fixtures.ts";
import { sqliteStoreFixture } from "../store/sqlite-fixture.ts";

const OWN = "own-process-secret-0123456789";
const USAGE = { inputTokens: 10, outputTokens: 2, calls: 1, wallMs: 5, costUsd: 0.01 };

/** A logger whose lines the test reads. */
function capturedLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "warn" }, stream) as unknown as Logger, lines };
}

describe("the run's event sink over the store", () => {
  let fixture: Awaited<ReturnType<typeof sqliteStoreFixture>>;
  let store: TaskStore;
  let taskId: string;
  const logged = capturedLog();
  const data = async () => (await store.readEvents(taskId, 0, 1000)).map((e) => e.data).filter((d) => d.type !== "state");

  beforeEach(async () => {
    fixture = await sqliteStoreFixture();
    store = fixture.store;
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    taskId = created.task.id;
    logged.lines.length = 0;
  });
  afterEach(async () => {
    await store.close().catch(() => undefined);
    await fixture.cleanup();
  });

  it("coalesces output of one source in a row into chunks of at most maxChunk, in the order emitted", async () => {
    const events = runEvents({ store, log: logged.log, secrets: [] }, taskId, { flushMs: 10_000, maxChunk: 20 });
    events.emit({ type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 0 });
    for (const piece of ["ok 1\n", "ok 2\n", "ok 3\n"]) events.emit({ type: "output", source: "tests", chunk: piece });
    events.emit({ type: "output", source: "agent", chunk: "other\n" });
    events.emit({ type: "output", source: "tests", chunk: "ok 4\n" });
    events.emit({ type: "output", source: "tests", chunk: "ok 5 and more..\n" });
    events.emit({ type: "command", source: "tests", command: "npm test", exitCode: 0, durationMs: 12 });
    assert.deepEqual(await data(), [], "nothing written before the interval or a full chunk");
    await events.close();
    assert.deepEqual(await data(), [
      { type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 0 },
      { type: "output", source: "tests", chunk: "ok 1\nok 2\nok 3\n" },
      { type: "output", source: "agent", chunk: "other\n" },
      { type: "output", source: "tests", chunk: "ok 4\n" },
      { type: "output", source: "tests", chunk: "ok 5 and more..\n" },
      { type: "command", source: "tests", command: "npm test", exitCode: 0, durationMs: 12 },
    ]);
  });

  it("writes a batch flushMs after its first event, and a full chunk at once", async () => {
    const events = runEvents({ store, log: logged.log, secrets: [] }, taskId, { flushMs: 50, maxChunk: 10 });
    events.emit({ type: "tool", tool: "read_file", summary: "read src/a.ts" });
    assert.deepEqual(await data(), []);
    await sleep(150);
    assert.deepEqual(await data(), [{ type: "tool", tool: "read_file", summary: "read src/a.ts" }]);
    events.emit({ type: "output", source: "setup", chunk: "0123456789" });
    await events.flush();
    assert.equal((await data()).length, 2, "a full chunk goes without waiting for the interval");
    await events.close();
  });

  it("keeps the last chunk: the end of a run writes what is pending, and every event after it at once", async () => {
    const events = runEvents({ store, log: logged.log, secrets: [] }, taskId, { flushMs: 60_000 });
    events.emit({ type: "output", source: "tests", chunk: "1 passed\n" });
    await endRun({ store }, taskId, events);
    assert.deepEqual(await data(), [{ type: "output", source: "tests", chunk: "1 passed\n" }], "no usage stored, none invented");
    events.emit({ type: "activity", line: "late" });
    await events.flush();
    assert.deepEqual((await data()).at(-1), { type: "activity", line: "late" });
  });

  it("ends a run that did not say its usage with the task's stored usage", async () => {
    await store.update(taskId, { usage: USAGE });
    const events = runEvents({ store, log: logged.log, secrets: [] }, taskId);
    events.emit({ type: "activity", line: "exploring the repository" });
    await endRun({ store }, taskId, events);
    assert.deepEqual(await data(), [
      { type: "activity", line: "exploring the repository" },
      { type: "usage", usage: USAGE },
    ]);
  });

  it("redacts every string: the process's secrets and the known shapes, in output and in every other event", async () => {
    const events = runEvents({ store, log: logged.log, secrets: [OWN] }, taskId);
    events.emit({ type: "output", source: "tests", chunk: `token ${FAKE.githubClassic}\n` });
    events.emit({ type: "output", source: "tests", chunk: `key ${OWN}\n` });
    events.emit({ type: "command", source: "agent", command: `curl -H 'x-key: ${OWN}' example.com`, exitCode: 0, durationMs: 1 });
    events.emit({ type: "tool", tool: "search", summary: `searched '${FAKE.npm}' (0 hits)` });
    await events.close();
    const written = JSON.stringify(await data());
    for (const secret of [OWN, FAKE.githubClassic, FAKE.npm]) assert.ok(!written.includes(secret), secret.slice(0, 4));
    assert.match(written, /token \[REDACTED:github-token\]\\nkey \[REDACTED:/);
  });

  it("orders the run's state changes and direct appends after the events before them", async () => {
    const run = withRunEvents({ store, log: logged.log, secrets: [] }, taskId, { flushMs: 60_000 });
    run.events.emit({ type: "activity", line: "planning" });
    await run.deps.store.transition(taskId, { from: "queued", to: "planning", actor: "openjules", reason: "planning started" });
    run.events.emit({ type: "output", source: "agent", chunk: "x\n" });
    await run.deps.store.appendEvents(taskId, [{ type: "paused", cause: "operator", reason: "asked", checkpointSha: null }]);
    assert.equal((await run.deps.store.get(taskId))?.state, "planning", "other calls pass through");
    const types = (await store.readEvents(taskId, 0, 100)).map((e) => (e.data.type === "state" ? `state:${e.data.to}` : e.data.type));
    assert.deepEqual(types, ["state:queued", "activity", "state:planning", "output", "paused"]);
    await run.events.close();
  });

  it("logs a failed write and goes on: the event log never fails the run", async () => {
    const events = runEvents({ store, log: logged.log, secrets: [] }, taskId);
    await store.close();
    const emitted: LogEventData = { type: "tool", tool: "read_file", summary: "read a" };
    events.emit(emitted);
    await events.flush();
    await events.close();
    assert.equal(logged.lines.length, 1);
    assert.match(String(logged.lines[0]?.msg), /could not write to the task's event log/);
    assert.equal(logged.lines[0]?.events, 1);
  });

  it("writes output less often once a run has written many output events", async () => {
    const events = runEvents({ store, log: logged.log, secrets: [] }, taskId, { flushMs: 20, slowAfter: 2, slowFlushMs: 60_000 });
    for (const n of [1, 2, 3]) {
      events.emit({ type: "output", source: "tests", chunk: `${n}\n` });
      await sleep(80);
    }
    assert.deepEqual(
      (await data()).map((d) => d.type === "output" && d.chunk),
      ["1\n", "2\n"],
      "the third waits for the slow interval",
    );
    await events.close();
    assert.equal((await data()).length, 3);
  });
});
