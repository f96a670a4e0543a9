import assert from "node:assert/strict";
import { describe, it } from "vitest";
import type { LogEventData, Task, TaskLogEvent } from "../../src/domain/model.ts";
import { makeTask } from "../render/fixtures.ts";
import { eventLines, MONITOR_EXIT, monitorScreen, monitorSummary, outputTail } from "../../src/ops/cli/monitor-view.ts";

const TASK: Task = makeTask({
  id: "t-1",
  repo: "api",
  issueNumber: null,
  instruction: "fix the crash when the config file is empty",
  issueTitle: "",
  requestedBy: "operator",
  triggerCommentId: null,
  face: "cli",
  createdAt: "2026-12-03T12:00:00.000Z",
  updatedAt: "2026-12-03T12:00:00.000Z",
});

let nextId = 1;
const ev = (second: number, data: LogEventData): TaskLogEvent => ({
  id: nextId++,
  taskId: "t-1",
  at: `2026-12-03T12:0${Math.floor(second / 60)}:${String(second % 60).padStart(2, "0")}.000Z`,
  data,
});
const state = (second: number, from: Task["state"] | null, to: Task["state"], actor = "openjules", face: Task["face"] = "system") =>
  ev(second, { type: "state", from, to, actor, face, reason: "" });

const working = [
  state(0, null, "queued", "operator", "cli"),
  state(2, "queued", "planning"),
  ev(20, { type: "plan", version: 1, summary: "Guard the loader", steps: 2, costEstimateUsd: 1.2 }),
  state(21, "planning", "awaiting_approval"),
  state(40, "awaiting_approval", "approved", "operator", "cli"),
  state(41, "approved", "working"),
  ev(50, { type: "activity", line: "read 6 files, edited 2" }),
  ev(60, { type: "command", source: "agent", command: "npm test", exitCode: 1, durationMs: 12_000 }),
  ev(61, { type: "output", source: "agent", chunk: "> test\n\u001b[31mFAIL\u001b[0m config.test.ts\nprogress 10%\rprogress 100%\n" }),
  ev(62, { type: "output", source: "agent", chunk: "1 failed\n" }),
  ev(63, { type: "usage", usage: { inputTokens: 12_000, outputTokens: 900, calls: 7, wallMs: 30_000, costUsd: 0.42 } }),
];

describe("the monitor screen (pure)", () => {
  it("shows state, phases, elapsed time, activity, the last command with its output tail, spend and the estimate", () => {
    const screen = monitorScreen(TASK, working, new Date("2026-12-03T12:03:12Z"), { width: 120, outputLines: 3 });
    assert.equal(
      screen,
      [
        "Task t-1 · acme/api · fix the crash when the config file is empty",
        "state     working on the changes   ·   elapsed 3m 12s   ·   spend $0.4200 (plan estimate $1.20)",
        "phases    ✓ Queued  ✓ Planning  ✓ Awaiting approval  ▶ Working  · Testing  · Pull request",
        "activity  read 6 files, edited 2",
        "command   $ npm test  (agent, exit 1, 12s)",
        "output (agent)",
        "  │ FAIL config.test.ts",
        "  │ progress 100%",
        "  │ 1 failed",
      ].join("\n"),
    );
  });

  it("cuts lines to the terminal width so a redraw never wraps, and neutralises control characters", () => {
    const screen = monitorScreen({ ...TASK, instruction: "evil \u0007\u001b]0;title\u0007 text" }, working, new Date("2026-12-03T12:03:12Z"), { width: 30, outputLines: 1 });
    for (const line of screen.split("\n")) assert.ok(line.length <= 30, line);
    assert.doesNotMatch(screen, /[\u0007\u001b]/);
  });

  it("says what to do next while a plan waits and when the task paused, with the pause glyph on the current phase", () => {
    const waiting = monitorScreen(TASK, working.slice(0, 4), new Date("2026-12-03T12:00:30Z"));
    assert.match(waiting, /state +waiting for approval of its plan/);
    assert.match(waiting, /▶ Awaiting approval/);
    assert.match(waiting, /\nnext +approve: openjules tasks approve t-1\n {10}or revise: openjules tasks revise t-1 "<feedback>"$/);
    const paused = [
      ...working,
      ev(70, { type: "paused", cause: "cost", reason: "reached its budget of $2.00", checkpointSha: "abc123def4567890" }),
      state(71, "working", "paused"),
    ];
    const screen = monitorScreen(
      { ...TASK, pause: { cause: "cost", reason: "reached its budget of $2.00", at: "", checkpointSha: null, summary: null } },
      paused,
      new Date("2026-12-03T12:05:00Z"),
    );
    assert.match(screen, /state +paused: reached its budget of \$2\.00 +· +took 1m 11s/);
    assert.match(screen, /⏸ Working/);
    assert.match(screen, /next +resume: openjules tasks resume t-1/);
  });

  it("a finished task shows how long it took, its pull request, and no stale activity", () => {
    const done = [
      ...working,
      state(90, "working", "testing"),
      ev(95, { type: "pull_request", number: 5, url: "https://github.com/acme/api/pull/5" }),
      state(100, "testing", "done"),
    ];
    const screen = monitorScreen({ ...TASK, plan: { summary: "s", steps: [], risks: [], verification: "" }, approvedBy: "operator" }, done, new Date("2026-12-03T13:00:00Z"));
    assert.match(screen, /state +done +· +took 1m 40s/);
    assert.match(screen, /✓ Testing  ✓ Pull request/);
    assert.match(screen, /pull req\. https:\/\/github\.com\/acme\/api\/pull\/5/);
    assert.doesNotMatch(screen, /activity/);
    assert.equal(monitorSummary(TASK, done), "Task t-1 done: https://github.com/acme/api/pull/5 (after 1m 40s).");
  });

  it("a failed task names where it stopped, the reason and the hint", () => {
    const failedTask = { ...TASK, failure: { phase: "tests", reason: "2 tests failed", hint: "look at the output, then retry" } };
    const failed = [...working, state(90, "working", "testing"), state(99, "testing", "failed")];
    const screen = monitorScreen(failedTask, failed, new Date("2026-12-03T13:00:00Z"));
    assert.match(screen, /✓ Working  ✗ Testing  · Pull request/);
    assert.match(screen, /failure +tests: 2 tests failed\nnext +look at the output, then retry/);
    assert.equal(monitorSummary(failedTask, failed), "Task t-1 failed while testing: 2 tests failed (after 1m 39s). Next: look at the output, then retry");
  });

  it("the output tail is the latest command's, of one source", () => {
    const events = [
      ev(1, { type: "output", source: "setup", chunk: "installed\n" }),
      ev(2, { type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 0 }),
      ev(3, { type: "output", source: "tests", chunk: "a\nb\n" }),
      ev(4, { type: "output", source: "tests", chunk: "c\nd" }),
    ];
    assert.deepEqual(outputTail(events, 3), { source: "tests", lines: ["b", "c", "d"], length: 3 });
    assert.deepEqual(outputTail(events.slice(0, 2), 3).lines, []);
    // Once the command has ended (its end event written after its output), the tail is still its output.
    const ended = [...events, ev(5, { type: "command", source: "tests", command: "npm test", exitCode: 1, durationMs: 1200 })];
    assert.deepEqual(outputTail(ended, 3), { source: "tests", lines: ["b", "c", "d"], length: 3 });
    // A killed command ends with no exit code but a duration.
    const killed = [...events, ev(5, { type: "command", source: "tests", command: "npm test", exitCode: null, durationMs: 600_000 })];
    assert.deepEqual(outputTail(killed, 3).lines, ["b", "c", "d"]);
    // A newer command that has not written yet shows nothing of the older one's.
    const next = [...ended, ev(6, { type: "command", source: "agent", command: "ls", exitCode: null, durationMs: 0 })];
    assert.deepEqual(outputTail(next, 3).lines, []);
  });
});

describe("plain event lines and exit codes", () => {
  it("one line per event (output split per line), times in UTC", () => {
    assert.deepEqual(eventLines(working[4]!), ["12:00:40 state awaiting_approval -> approved  by operator via cli"]);
    assert.deepEqual(eventLines(working[8]!), ["12:01:01 output [agent] │ > test", "12:01:01 output [agent] │ FAIL config.test.ts", "12:01:01 output [agent] │ progress 100%"]);
    assert.deepEqual(eventLines(working[7]!), ["12:01:00 command [agent] $ npm test -> exit 1 (12s)"]);
    assert.deepEqual(eventLines(ev(5, { type: "message", from: "octocat", face: "api", text: "use the v2 API" })), ["12:00:05 message from octocat via api: use the v2 API"]);
  });

  it("exit codes: 0 done, 3 failed, 4 cancelled, 5 paused (1 is the CLI's own error)", () => {
    assert.deepEqual(MONITOR_EXIT, { done: 0, failed: 3, cancelled: 4, paused: 5 });
  });
});
