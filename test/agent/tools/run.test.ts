import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { headTail, runTool } from "../../../src/agent/tools/run.ts";
import type { CommandRunner } from "../../../src/agent/command-runner.ts";
import { toolContext } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

/** A runner at the edge: records what it was asked and answers as scripted. */
class RecordingRunner implements CommandRunner {
  readonly calls: { cmd: string; cwd: string; timeoutMs: number }[] = [];
  readonly answer: Awaited<ReturnType<CommandRunner["run"]>>;
  constructor(answer: Awaited<ReturnType<CommandRunner["run"]>>) {
    this.answer = answer;
  }
  async run(cmd: string, opts: { cwd: string; timeoutMs: number }) {
    this.calls.push({ cmd, cwd: opts.cwd, timeoutMs: opts.timeoutMs });
    return this.answer;
  }
}

describe("run", () => {
  it("says that running is unavailable without a runner", async () => {
    const result = await invoke(runTool, { command: "npm test" }, toolContext("/repo"));
    assert.equal(result.isError, true);
    assert.match(result.content, /running commands is not available/);
  });

  it("runs through the runner in the root with the smaller timeout, and reports the exit code", async () => {
    const runner = new RecordingRunner({ exitCode: 1, output: "1 failing", timedOut: false });
    const ctx = toolContext("/repo", { runner, commandTimeoutMs: 120_000 });
    const result = await invoke(runTool, { command: "npm test", timeout_seconds: 30 }, ctx);
    assert.deepEqual(runner.calls, [{ cmd: "npm test", cwd: "/repo", timeoutMs: 30_000 }]);
    assert.equal(result.content, "exit code 1\n1 failing");
    assert.equal(result.isError, true);
    assert.equal(ctx.stats.commands, 1);
    await invoke(runTool, { command: "ls", timeout_seconds: 1800 }, ctx);
    assert.equal(runner.calls[1]!.timeoutMs, 120_000, "the operator's limit wins");
  });

  it("reports timeouts and success", async () => {
    const timedOut = new RecordingRunner({ exitCode: null, output: "", timedOut: true });
    const r1 = await invoke(runTool, { command: "sleep 99", timeout_seconds: 2 }, toolContext("/repo", { runner: timedOut }));
    assert.equal(r1.content, "timed out after 2s\n(no output)");
    const ok = new RecordingRunner({ exitCode: 0, output: "ok", timedOut: false });
    const r2 = await invoke(runTool, { command: "true" }, toolContext("/repo", { runner: ok }));
    assert.equal(r2.isError, false);
  });

  it("keeps the head and tail of long output", () => {
    const text = `${"a".repeat(100)}${"b".repeat(100)}`;
    const cut = headTail(text, 50);
    assert.ok(cut.startsWith("a".repeat(15)));
    assert.ok(cut.endsWith("b".repeat(35)));
    assert.match(cut, /150 characters cut/);
    assert.equal(headTail("short", 50), "short");
  });
});
