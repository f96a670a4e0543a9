/**
 * What the API shows of a task event: every string of its data redacted
 * (known secret shapes and the process's own secrets), everything else as
 * stored; a stream of events is redacted one by one and still ends.
 */
import assert from "node:assert/strict";
import { describe, it } from "vitest";
import type { TaskLogEvent } from "../../src/domain/model.ts";
import { redactEvent, redactEvents } from "../../src/api/redact-event.ts";
import { FAKE } from "../helpers/fake-secrets.ts";

const OWN = "own-secret-value-1234";
const event = (data: TaskLogEvent["data"], id = 7): TaskLogEvent => ({ id, taskId: "t1", at: "2025-01-01T00:00:00.000Z", data });

describe("redactEvent", () => {
  it("redacts every string of the data, nested ones included, and keeps the rest", () => {
    const state = event({ type: "state", from: "working", to: "failed", actor: "openjules", face: "system", reason: `working: it said ${FAKE.githubClassic} and ${OWN}` });
    const shown = redactEvent(state, [OWN]);
    assert.deepEqual({ ...shown, data: { ...shown.data, reason: "" } }, { ...state, data: { ...state.data, reason: "" } });
    assert.ok(shown.data.type === "state");
    assert.match(shown.data.reason, /^working: it said \[REDACTED:github-token\] and \[REDACTED:[^\]]+\]$/);
    const command = event({ type: "command", source: "agent", command: `curl -H 'x-key: ${OWN}' localhost`, exitCode: 0, durationMs: 12 });
    assert.deepEqual(redactEvent(command, [OWN]).data, { ...command.data, command: "curl -H 'x-key: [REDACTED:configured-secret]' localhost" });
  });

  it("leaves an event without secrets equal to the stored one", () => {
    const line = event({ type: "activity", line: "Reading src/value.txt" });
    assert.deepEqual(redactEvent(line, [OWN]), line);
  });

  it("redacts a stream event by event", async () => {
    async function* stored() {
      yield event({ type: "output", source: "tests", chunk: `token=${FAKE.githubClassic}` }, 1);
      yield event({ type: "activity", line: "done" }, 2);
    }
    const shown: TaskLogEvent[] = [];
    for await (const e of redactEvents(stored(), [])) shown.push(e);
    assert.deepEqual(
      shown.map((e) => [e.id, JSON.stringify(e.data).includes(FAKE.githubClassic)]),
      [
        [1, false],
        [2, false],
      ],
    );
  });
});
