/** The task page's activity log and test results, built from event logs as the server writes them. */
import { describe, expect, it } from "vitest";
import type { LogEventData, TaskLogEvent } from "../../src/domain/model.ts";
import { buildActivity, mergeEvents, testRuns } from "../../web/src/activity.ts";

let next = 1;
const at = "2025-01-02T03:04:05.000Z";
const log = (...data: LogEventData[]): TaskLogEvent[] => data.map((d) => ({ id: next++, taskId: "t1", at, data: d }));

describe("buildActivity", () => {
  it("joins output streamed while a command ran to the command event that ends it", () => {
    const entries = buildActivity(
      log(
        { type: "tool", tool: "read_file", summary: "src/a.ts" },
        { type: "output", source: "tests", chunk: "running 2 tests\n" },
        { type: "output", source: "tests", chunk: "ok 1\n" },
        { type: "command", source: "tests", command: "npm test", exitCode: 0, durationMs: 2100 },
        { type: "output", source: "setup", chunk: "added 3 packages\n" },
        { type: "command", source: "setup", command: "npm ci", exitCode: 0, durationMs: 900 },
      ),
    );
    expect(entries.map((e) => e.kind)).toEqual(["note", "command", "command"]);
    expect(entries[1]).toMatchObject({ kind: "command", source: "tests", command: "npm test", exitCode: 0, durationMs: 2100, running: false, output: "running 2 tests\nok 1\n" });
    expect(entries[2]).toMatchObject({ command: "npm ci", output: "added 3 packages\n" });
  });

  it("opens a command on a start event (no exit code, no duration) and closes it on its end", () => {
    const entries = buildActivity(
      log(
        { type: "command", source: "agent", command: "ls", exitCode: null, durationMs: 0 },
        { type: "output", source: "agent", chunk: "a\nb\n" },
        { type: "command", source: "agent", command: "ls", exitCode: 2, durationMs: 40 },
      ),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ command: "ls", exitCode: 2, durationMs: 40, running: false, output: "a\nb\n" });
  });

  it("ends a command whose end also has no exit code and no duration (killed at once)", () => {
    const entries = buildActivity(
      log(
        { type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 0 },
        { type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 0 },
        { type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 0 },
        { type: "output", source: "tests", chunk: "second run\n" },
      ),
    );
    expect(entries.map((e) => e.kind === "command" && [e.running, e.output])).toEqual([
      [false, ""],
      [true, "second run\n"],
    ]);
  });

  it("shows output with no command yet as running, and keeps sources apart", () => {
    const entries = buildActivity(
      log({ type: "output", source: "setup", chunk: "fetching\n" }, { type: "output", source: "tests", chunk: "1..3\n" }, { type: "output", source: "setup", chunk: "done\n" }),
    );
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ source: "setup", command: null, running: true, output: "fetching\ndone\n" });
    expect(entries[1]).toMatchObject({ source: "tests", output: "1..3\n" });
  });

  it("keeps every other event as a note, in order, and leaves usage to the usage panel", () => {
    const entries = buildActivity(
      log(
        { type: "state", from: null, to: "queued", actor: "octocat", face: "web", reason: "created" },
        { type: "usage", usage: { inputTokens: 1, outputTokens: 2, calls: 1, wallMs: 5, costUsd: 0.01 } },
        { type: "plan", version: 1, summary: "Fix it", steps: 2, costEstimateUsd: null },
        { type: "message", from: "octocat", face: "web", text: "<script>alert(1)</script>" },
      ),
    );
    expect(entries.map((e) => (e.kind === "note" ? e.data.type : e.kind))).toEqual(["state", "plan", "message"]);
  });
});

describe("testRuns", () => {
  it("gives each test command its outcome, the failing part and the whole output", () => {
    const failing = [
      "\u001b[31mFAIL\u001b[39m test/a.test.js",
      "  ● adds › two numbers",
      "",
      "    expect(received).toBe(expected)",
      "",
      "    Expected: 4",
      "    Received: 5",
      "",
      "Tests:       1 failed, 3 passed, 4 total",
      "",
    ].join("\n");
    const runs = testRuns(
      buildActivity(
        log(
          { type: "output", source: "tests", chunk: failing },
          { type: "command", source: "tests", command: "npx jest", exitCode: 1, durationMs: 3000 },
          { type: "command", source: "setup", command: "npm ci", exitCode: 0, durationMs: 10 },
          { type: "output", source: "tests", chunk: "all good\n" },
          { type: "command", source: "tests", command: "npx jest", exitCode: 0, durationMs: 2000 },
          { type: "command", source: "tests", command: "npx jest --ci", exitCode: null, durationMs: 0 },
        ),
      ),
    );
    expect(runs.map((r) => [r.command, r.outcome])).toEqual([
      ["npx jest", "failed"],
      ["npx jest", "passed"],
      ["npx jest --ci", "running"],
    ]);
    expect(runs[0]!.summary).toContain("adds › two numbers");
    expect(runs[0]!.summary).toContain("Tests:       1 failed, 3 passed, 4 total");
    expect(runs[0]!.output).not.toContain("\u001b");
    expect(runs[0]!.output).toContain("Received: 5");
  });

  it("calls a command that ended without an exit code stopped", () => {
    const runs = testRuns(buildActivity(log({ type: "command", source: "tests", command: "make test", exitCode: null, durationMs: 600_000 })));
    expect(runs[0]!.outcome).toBe("stopped");
  });
});

describe("mergeEvents", () => {
  it("appends new events and drops ones sent again after a reconnect", () => {
    const [a, b, c] = log({ type: "activity", line: "a" }, { type: "activity", line: "b" }, { type: "activity", line: "c" });
    expect(mergeEvents([a!, b!], [b!, c!]).map((e) => e.id)).toEqual([a!.id, b!.id, c!.id]);
    expect(mergeEvents([a!], [c!, b!]).map((e) => e.id)).toEqual([a!.id, b!.id, c!.id]);
    const known = [a!];
    expect(mergeEvents(known, [])).toBe(known);
  });
});
