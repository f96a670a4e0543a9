import assert from "node:assert/strict";
import { beforeEach, describe, it } from "vitest";
import type { Task } from "../../../src/domain/model.ts";
import { findEspeak } from "../../../src/speech/espeak.ts";
import type { SpeechEngine, SpeechFinder } from "../../../src/speech/port.ts";
import { wavInfo } from "../../../src/speech/wav.ts";
import { createControlPlane } from "../../../src/tasks/control/create-control-plane.ts";
import type { ControlPlane } from "../../../src/tasks/control/port.ts";
import { mockAnyTokens, mockCompareDiff } from "../../helpers/github-app-mock.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { operator, taskIn, user, withHarness } from "./harness.ts";

const BRANCH = "jules/fix-the-crash";
const DIFF = [
  "diff --git a/src/config/loader.ts b/src/config/loader.ts",
  "--- a/src/config/loader.ts",
  "+++ b/src/config/loader.ts",
  "@@ -1 +1,2 @@",
  "-old",
  "+new",
  "+more",
  "diff --git a/README.md b/README.md",
  "--- a/README.md",
  "+++ b/README.md",
  "@@ -1 +1 @@",
  "+a line",
  "",
].join("\n");
const PR = { branch: BRANCH, pullRequestNumber: 7, pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/7" };
const usage = (costUsd: number) => ({ inputTokens: 1000, outputTokens: 200, calls: 3, wallMs: 9000, costUsd });

/** The real espeak-ng of this machine, counting its runs. */
function counted(find: SpeechFinder): { find: SpeechFinder; runs: () => number } {
  let runs = 0;
  return {
    runs: () => runs,
    find: async () => {
      const engine = await find();
      if (!engine) return null;
      return {
        engine: engine.engine,
        speak: (text) => {
          runs++;
          return engine.speak(text);
        },
      } satisfies SpeechEngine;
    },
  };
}

/** The spoken summary of a finished task: made once, spoken by the real engine, kept with the task, made again when it changed. */
describe("control plane: a finished task's spoken summary", () => {
  const h = withHarness();
  let gh: GitHubMock;
  let speech: ReturnType<typeof counted>;
  let plane: ControlPlane;
  beforeEach(() => {
    gh = new GitHubMock();
    mockAnyTokens(gh);
    speech = counted(() => findEspeak({ tts: "auto", path: "/usr/bin" }));
    plane = createControlPlane({ ...h().deps, speech: speech.find });
  });
  const done = (patch: Partial<Task> = {}) => taskIn(h(), "done", { instruction: "make the config loader accept an empty file" }, { ...PR, usage: usage(0.12), ...patch });

  it("speaks a done task's summary into a playable WAV file, once: the second call is the kept one", async () => {
    const task = await done();
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    const first = await plane.summary(operator("web"), task.id);
    assert.ok(first.ok);
    assert.equal(
      first.value.text,
      "Codertocat asked, in Hello-World: make the config loader accept an empty file. It changed 2 files: loader.ts and README.md. It opened pull request number 7 on github.com. It cost about 12 cents.",
    );
    assert.match(first.value.engine ?? "", /^espeak-ng \d+\.\d+/);
    const info = wavInfo(first.value.audio!);
    assert.ok(info && info.durationMs > 1000, "a RIFF/WAVE file that plays");
    const second = await plane.summary(operator("web"), task.id);
    assert.ok(second.ok);
    assert.equal(speech.runs(), 1, "the engine ran once");
    assert.deepEqual(second.value, first.value);
    const kept = await h().deps.store.accounts.getSummary(task.id);
    assert.deepEqual([kept?.text, kept?.engine, kept?.audio?.length], [first.value.text, first.value.engine, first.value.audio?.length]);
    gh.assertClean();
  });

  it("makes it again when the task changed, and says how the tests ended from the task's log", async () => {
    const task = await done();
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    const before = await plane.summary(operator(), task.id);
    await h().deps.store.update(task.id, { usage: usage(1.5) });
    await h().deps.store.appendEvents(task.id, [{ type: "command", source: "tests", command: "npm test", exitCode: 1, durationMs: 900 }]);
    const after = await plane.summary(operator(), task.id);
    assert.ok(before.ok && after.ok);
    assert.equal(speech.runs(), 2);
    assert.match(after.value.text, /The tests still fail\. It opened pull request number 7 on github\.com, as a draft marked as failing\. It cost about 1\.50 dollars\.$/);
    assert.notDeepEqual(after.value.audio, before.value.audio);
    assert.equal((await h().deps.store.accounts.getSummary(task.id))?.text, after.value.text);
    gh.assertClean();
  });

  it("keeps the summary that named the files when the branch is gone after the merge", async () => {
    const task = await done();
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    mockCompareDiff(gh, "main", BRANCH, null);
    const first = await plane.summary(operator(), task.id);
    const later = await plane.summary(operator(), task.id);
    assert.ok(first.ok && later.ok);
    assert.deepEqual(later.value, first.value);
    assert.equal(speech.runs(), 1);
    gh.assertClean();
  });

  it("has no audio without an engine (no espeak on the PATH, or JULES_TTS=off): the text alone, kept", async () => {
    for (const find of [() => findEspeak({ tts: "auto", path: "/nonexistent" }), () => findEspeak({ tts: "off", path: "/usr/bin" })]) {
      const silent = createControlPlane({ ...h().deps, speech: find });
      const task = await taskIn(h(), "failed", {}, { failure: { phase: "planning", reason: "The model did not answer.", hint: "Try again later." } });
      const result = await silent.summary(operator(), task.id);
      assert.ok(result.ok);
      assert.deepEqual(result.value, {
        text: "Codertocat asked, in Hello-World: fix the crash. It failed at the planning step: The model did not answer.",
        audio: null,
        engine: null,
      });
      assert.equal((await h().deps.store.accounts.getSummary(task.id))?.audio, null);
    }
    assert.deepEqual(gh.requests, [], "a task without a branch has no diff to read");
  });

  it("answers the text without audio, and keeps nothing, when the engine fails", async () => {
    const failing = createControlPlane({ ...h().deps, speech: () => findEspeak({ tts: "auto", path: "/usr/bin", timeoutMs: 1 }) });
    const task = await taskIn(h(), "cancelled");
    const result = await failing.summary(operator(), task.id);
    assert.ok(result.ok);
    assert.equal(result.value.audio, null);
    assert.equal(result.value.engine, null);
    assert.match(result.value.text, /It was cancelled/);
    assert.equal(await h().deps.store.accounts.getSummary(task.id), null);
  });

  it("is for finished tasks only: a running task's summary comes when it ends", async () => {
    const task = await taskIn(h(), "working");
    const result = await plane.summary(operator(), task.id);
    assert.deepEqual(!result.ok && [result.error.code, result.error.title], ["conflict", "Task not finished"]);
    assert.match(!result.ok ? result.error.detail : "", /is working on the changes; its spoken summary comes when the task ends/);
    assert.equal(speech.runs(), 0);
  });

  it("follows the read rule: a reader hears it, a user who cannot see the repository finds no task", async () => {
    const task = await taskIn(h(), "cancelled");
    gh.role("mona", "read").role("eve", "none");
    assert.equal((await plane.summary(user("mona", { scopes: ["read"], face: "web" }), task.id)).ok, true);
    const hidden = await plane.summary(user("eve"), task.id);
    assert.deepEqual(!hidden.ok && [hidden.error.code, hidden.error.title], ["not_found", "Task not found"]);
    gh.assertClean();
  });
});
