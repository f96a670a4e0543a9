import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "vitest";
import { createAgent } from "../../src/agent/agent.ts";
import type { CommandRunner } from "../../src/agent/command-runner.ts";
import { AgentError, type ExecuteRequest, isPaused, type PausedOutcome } from "../../src/agent/port.ts";
import { defaultRepoConfig, type RepoConfig } from "../../src/config/repo-config.ts";
import { OPENAI_KEY, PLAN, settingsFor, task, thread, userTexts } from "./agent-fixture.ts";
import { RecordingProgress } from "../helpers/fake-llm/loop-kit.ts";
import { FORMATS } from "../helpers/fake-llm/providers.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../helpers/fake-llm/server.ts";
import { makeWorkdir, type Workdir } from "../helpers/fake-llm/workdir.ts";

/**
 * Execution pauses on each budget (turns, tokens, cost, time), on a cost it
 * is about to go over, and on a person's request, with a summary of the
 * conversation made without a model; planning still fails on a budget; a
 * resumed run starts from that summary. Real SDKs against the fake server.
 */

const EDIT = call("edit_file", { path: "src/math.ts", old_string: "return a - b;", new_string: "return a + b;" });
const RUN = call("run", { command: "npm run build" });
const runner: CommandRunner = { run: async () => ({ exitCode: 0, output: "built", timedOut: false }) };

for (const format of FORMATS) {
  describe(`pausing an execution over ${format}`, () => {
    let llm: FakeLlm;
    let wd: Workdir;
    let dataDir: string;
    beforeAll(async () => {
      llm = await startFakeLlm();
    });
    afterAll(() => llm.close());
    beforeEach(async () => {
      llm.reset();
      wd = await makeWorkdir({ "src/math.ts": "export function add(a: number, b: number) {\n  return a - b;\n}\n" });
      dataDir = await mkdtemp(join(tmpdir(), "openjules-data-"));
    });
    afterEach(async () => {
      await wd.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    });
    const model = format === "openai" ? "gpt-4o" : "claude-sonnet";
    const agentWith = (prices?: Record<string, { input: number; output: number }>) =>
      createAgent({ settings: settingsFor(format, llm, prices ? { prices: JSON.stringify(prices) } : {}), dataDir, secrets: [OPENAI_KEY], runner });
    const request = (budgets: RepoConfig["budgets"], over: Partial<ExecuteRequest> = {}): ExecuteRequest => ({
      task: task({ state: "working" }),
      plan: PLAN,
      thread,
      config: { ...defaultRepoConfig(), budgets },
      workdir: wd.root,
      home: wd.root,
      feedback: null,
      progress: new RecordingProgress(),
      signal: new AbortController().signal,
      ...over,
    });
    const paused = async (outcome: Promise<unknown>): Promise<PausedOutcome> => {
      const result = (await outcome) as PausedOutcome;
      assert.ok(isPaused(result), `expected a pause, got ${JSON.stringify(result)}`);
      return result;
    };

    it("on its turns: the summary names the files changed, the commands run and the last words", async () => {
      llm.push(EDIT, { ...RUN, text: "Edited add(); building next." });
      const outcome = await paused(agentWith().execute(request({ max_turns: 2 })));
      assert.equal(outcome.cause, "turns");
      assert.equal(outcome.reason, "reached its limit of 2 model turns");
      assert.equal(llm.requests.length, 2);
      assert.equal(outcome.usage.calls, 2);
      assert.match(outcome.summary, /^## Run 1, from the start of the approved plan\nThe run was paused after 2 model turns: it reached its limit of 2 model turns\./);
      assert.match(outcome.summary, /Files changed in this run: `src\/math\.ts`\./);
      assert.match(outcome.summary, /Commands run:\n- `npm run build`/);
      assert.match(outcome.summary, /Last words before the pause:\n> Edited add\(\); building next\./);
      assert.match(await readFile(join(wd.root, "src/math.ts"), "utf8"), /return a \+ b;/, "the work stays in the working copy for the checkpoint");
    });

    it("on its tokens", async () => {
      llm.push({ ...EDIT, usage: { input: 5_000, output: 10 } });
      const outcome = await paused(agentWith().execute(request({ max_tokens: 1_000 })));
      assert.equal(outcome.cause, "tokens");
      assert.equal(outcome.reason, "reached its budget of 1,000 tokens");
    });

    it("on its cost", async () => {
      llm.push({ ...EDIT, usage: { input: 400_000, output: 0 } });
      const outcome = await paused(agentWith({ [model]: { input: 5, output: 8 } }).execute(request({ max_cost_usd: 1 })));
      assert.equal(outcome.cause, "cost");
      assert.equal(outcome.reason, "reached its budget of $1.00 (estimated)");
      assert.equal(outcome.usage.costUsd, 2);
    });

    it("before a call that would go over the cost budget", async () => {
      // $0.60 spent of $1.00: the next call, writing as much as the first, would take it to about $1.20.
      llm.push({ ...EDIT, usage: { input: 0, output: 6_000 } }, call("finish", { summary: "never reached" }));
      const outcome = await paused(agentWith({ [model]: { input: 1, output: 100 } }).execute(request({ max_cost_usd: 1 })));
      assert.equal(outcome.cause, "cost");
      assert.equal(outcome.reason, "would go over its budget of $1.00 (estimated) with its next model call");
      assert.equal(llm.requests.length, 1);
    });

    it("on its time, with the model call in flight", async () => {
      llm.push(EDIT, { ...call("finish", { summary: "too late" }), delayMs: 5_000 });
      const started = Date.now();
      const outcome = await paused(agentWith().execute(request({ max_minutes: 0.01 })));
      assert.equal(outcome.cause, "time");
      assert.equal(outcome.reason, "reached its time limit of 1 second");
      assert.ok(Date.now() - started < 4_000, "the pending call was abandoned at the deadline");
      assert.match(outcome.summary, /Files changed in this run: `src\/math\.ts`/);
    });

    it("when a person asks for it, at the next turn", async () => {
      llm.push(EDIT, call("finish", { summary: "never reached" }));
      let asks = 0;
      const pauseRequested = async () => (++asks >= 2 ? "paused by alice through the cli" : null);
      const outcome = await paused(agentWith().execute(request({}, { pauseRequested })));
      assert.deepEqual([outcome.cause, outcome.reason], ["operator", "paused by alice through the cli"]);
      assert.equal(llm.requests.length, 1);
    });

    it("planning still fails on a budget", async () => {
      llm.push(call("list_files", {}), call("list_files", {}));
      const planning = agentWith().plan({ ...request({ max_turns: 1 }), task: task(), previousPlan: null, feedback: null });
      await assert.rejects(planning, (e: unknown) => e instanceof AgentError && /limit of 1 model turns/.test(e.message));
    });

    it("a resumed run starts from the summary, with the budget extended within the operator's caps", async () => {
      llm.push(call("list_files", {}), call("list_files", {}), call("list_files", {}), call("finish", { summary: "add() adds." }));
      const resumed = task({ state: "working", extraBudget: { turns: 30, tokens: 0, costUsd: 0, minutes: 0 } });
      const resume = {
        summary:
          "## Run 1, from the start of the approved plan\nThe run was paused after 2 model turns: it reached its limit of 2 model turns.\nFiles changed in this run: `src/math.ts`.",
        checkpointSha: "a".repeat(40),
        branch: "jules/7-fix-add",
      };
      // max_turns 2 + 30 extra is capped by the operator's 20: the run gets 4 turns and finishes.
      const outcome = await agentWith().execute(request({ max_turns: 2 }, { task: resumed, resume }));
      assert.ok(!isPaused(outcome));
      assert.equal(outcome.summary, "add() adds.");
      const first = userTexts(llm.requests[0]!).join("\n");
      assert.match(first, /# Where the work stopped\n\nThis task was paused and is now resumed\. Its work so far was committed \(aaaaaaaaaaaa on jules\/7-fix-add\)/);
      assert.match(first, /<(pause-summary-[0-9a-f]{12})>\n## Run 1, from the start of the approved plan\n[\s\S]*Files changed in this run: `src\/math\.ts`\.\n<\/\1>/);
      assert.match(first, /Carry on with the approved plan from where the work stopped/);
    });
  });
}
