import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { LogEventData, TaskLogEvent } from "../../src/domain/model.ts";
import { taskIn } from "../tasks/control/harness.ts";
import { apiFixture, type ApiFixture, problemOf } from "./fixture.ts";

const line = (n: number): LogEventData => ({ type: "activity", line: `step ${n}` });

/** An open event stream, read as raw text (heartbeat comments included). */
function openStream(api: ApiFixture, path: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  let text = "";
  let ended = false;
  const opened = api.request(path, { headers, signal: abort.signal });
  const pumped = opened.then(async (res) => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void (ended = true);
        text += value;
      }
    } catch {
      // aborted by the test
    }
  });
  const events = () =>
    text
      .split("\n\n")
      .filter((block) => block.includes("data: "))
      .map((block) => {
        const fields = Object.fromEntries(block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
        return { id: fields.id!, event: fields.event!, data: JSON.parse(fields.data!) as TaskLogEvent };
      });
  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got:\n${text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  /** Stops reading (or, with `abort` false, waits for the server to end the stream). */
  const close = (stop = true) => {
    if (stop) abort.abort();
    return pumped;
  };
  return { opened, events, text: () => text, until, close, ended: () => ended };
}

describe("GET /api/v1/tasks/:id/events", () => {
  let api: ApiFixture;
  const shutdown = new AbortController();
  let taskId: string;
  let first: TaskLogEvent[];
  beforeAll(async () => {
    api = await apiFixture({ heartbeatMs: 40, shutdown: shutdown.signal });
    taskId = (await taskIn(api.h, "working")).id;
    await api.h.deps.store.appendEvents(taskId, [line(1), line(2), line(3)]);
    first = await api.h.deps.store.readEvents(taskId, 0, 100);
  });
  afterAll(() => api.close());

  it("answers a JSON page with ?format=json or Accept: application/json, after an id, at most limit", async () => {
    const all = (await (await api.request(`/api/v1/tasks/${taskId}/events?format=json`)).json()) as { events: TaskLogEvent[]; lastEventId: number };
    assert.deepEqual(all, { events: first, lastEventId: first.at(-1)!.id });
    const page = await api.request(`/api/v1/tasks/${taskId}/events?after=${first[0]!.id}&limit=1`, { headers: { accept: "application/json" } });
    assert.match(page.headers.get("content-type")!, /^application\/json/);
    assert.deepEqual(await page.json(), { events: [first[1]], lastEventId: first[1]!.id });
    const none = (await (await api.request(`/api/v1/tasks/${taskId}/events?format=json&after=${first.at(-1)!.id}`)).json()) as { lastEventId: number };
    assert.equal(none.lastEventId, first.at(-1)!.id);
  });

  it("streams the history first, then events appended while it is open, each with its id and type", async () => {
    const stream = openStream(api, `/api/v1/tasks/${taskId}/events`);
    const res = await stream.opened;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-store");
    await stream.until(() => stream.events().length === first.length, "the history");
    // Appended while the stream is open; the store's event feed tells the stream.
    const live = await api.h.deps.store.appendEvents(taskId, [line(4), { type: "tool", tool: "read_file", summary: "src/a.ts" }]);
    await stream.until(() => stream.events().length === first.length + 2, "the live events");
    assert.deepEqual(
      stream.events().map((e) => [Number(e.id), e.event]),
      [...first, ...live].map((e) => [e.id, e.data.type]),
    );
    assert.deepEqual(stream.events().at(-1)!.data, live[1]);
    assert.match(stream.text(), /^retry: 3000\n\n/);
    await stream.close();
  });

  it("resumes after Last-Event-ID (which wins over ?after=) or ?after=", async () => {
    const all = await api.h.deps.store.readEvents(taskId, 0, 100);
    const byHeader = openStream(api, `/api/v1/tasks/${taskId}/events?after=0`, { "last-event-id": String(all[2]!.id) });
    await byHeader.until(() => byHeader.events().length === all.length - 3, "the events after the third");
    assert.deepEqual(
      byHeader.events().map((e) => e.data),
      all.slice(3),
    );
    await byHeader.close();
    const byQuery = openStream(api, `/api/v1/tasks/${taskId}/events?after=${all.at(-2)!.id}`);
    await byQuery.until(() => byQuery.events().length === 1, "the last event");
    assert.deepEqual(byQuery.events()[0]!.data, all.at(-1));
    await byQuery.close();
  });

  it("sends heartbeat comments while idle and ends cleanly when the client goes away", async () => {
    const stream = openStream(api, `/api/v1/tasks/${taskId}/events?after=999999999`);
    await stream.until(() => (stream.text().match(/: heartbeat\n\n/g) ?? []).length >= 2, "two heartbeats");
    assert.deepEqual(stream.events(), []);
    await stream.close();
    // The server's side of the stream ended: a new request is served and nothing was logged as an error.
    assert.equal((await api.request(`/api/v1/tasks/${taskId}/events?format=json&limit=1`)).status, 200);
    assert.deepEqual(api.errors, []);
  });

  it("ends open streams when the server stops (its shutdown signal), after what they had", async () => {
    const stream = openStream(api, `/api/v1/tasks/${taskId}/events`);
    await stream.until(() => stream.events().length > 0, "the history");
    shutdown.abort();
    await stream.close(false);
    assert.ok(stream.ended(), "the server ended the response");
  });

  it("answers a missing task and a bad Last-Event-ID as problems before any stream starts", async () => {
    const missing = await api.request("/api/v1/tasks/no-such-task/events");
    assert.equal(missing.status, 404);
    assert.equal((await problemOf(missing)).type, "urn:openjules:problem:not_found");
    const bad = await api.request(`/api/v1/tasks/${taskId}/events`, { headers: { "last-event-id": "abc" } });
    assert.equal(bad.status, 400);
    assert.match((await problemOf(bad)).detail, /Last-Event-ID or \?after=\) must be a non-negative integer, got "abc"/);
  });
});
