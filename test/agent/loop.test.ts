import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "vitest";
import { AgentError } from "../../src/agent/port.ts";
import { makeLoop } from "../helpers/fake-llm/loop-kit.ts";
import { FORMATS, providerFor } from "../helpers/fake-llm/providers.ts";
import { call, fail, rawCall, repeat, say } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, type RecordedRequest, startFakeLlm } from "../helpers/fake-llm/server.ts";
import { makeWorkdir, type Workdir } from "../helpers/fake-llm/workdir.ts";

/** The tool loop with both real SDKs against the fake server, on real working copies. */

const PLAN = { summary: "Make add() add.", steps: [{ title: "Fix add", files: ["src/math.ts"] }], risks: [], verification: "npm test" };
const MATH = "export function add(a: number, b: number) {\n  return a - b;\n}\nexport function sub(a: number, b: number) {\n  return a - b;\n}\n";

/** Tool results the client sent in a request, whatever the wire format. */
function toolResults(request: RecordedRequest): { content: string; isError: boolean }[] {
  if (request.format === "openai") {
    return request.body.messages
      .filter((m: { role: string }) => m.role === "tool")
      .map((m: { content: string }) => ({ content: m.content, isError: m.content.startsWith("Error:") }));
  }
  return request.body.messages.flatMap((m: { content: unknown }) =>
    Array.isArray(m.content)
      ? m.content
          .filter((b: { type: string }) => b.type === "tool_result")
          .map((b: { content: string; is_error?: boolean }) => ({ content: b.content, isError: b.is_error === true }))
      : [],
  );
}
const elided = (request: RecordedRequest) => toolResults(request).filter((t) => t.content.includes("output elided")).length;
const BIG = Array.from({ length: 900 }, (_, i) => `line ${i} ${"x".repeat(20)}`).join("\n");
const toolNames = (request: RecordedRequest): string[] => request.body.tools.map((t: { name?: string; function?: { name: string } }) => t.name ?? t.function?.name);

const rejectsAgentError = async (promise: Promise<unknown>, pattern: RegExp): Promise<AgentError> => {
  const error = await promise.then(
    () => assert.fail("expected an AgentError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AgentError, `expected AgentError, got ${String(error)}`);
  assert.match(error.message, pattern);
  assert.ok(error.hint.length > 0);
  return error;
};

for (const format of FORMATS) {
  describe(`tool loop over ${format}`, () => {
    let llm: FakeLlm;
    let wd: Workdir;
    beforeAll(async () => {
      llm = await startFakeLlm();
    });
    afterAll(() => llm.close());
    beforeEach(async () => {
      llm.reset();
      wd = await makeWorkdir({ "src/math.ts": MATH, "README.md": "# calc\n" });
    });
    afterEach(() => wd.cleanup());
    const provider = (options = {}) => providerFor(format, llm, options);

    it("plans a fix: lists, reads, submits the plan", async () => {
      llm.push(call("list_files", {}), call("read_file", { path: "src/math.ts" }), call("submit_plan", PLAN));
      const { loop, progress } = makeLoop(provider(), wd.root);
      const outcome = await loop.run("Fix add().");
      assert.deepEqual(outcome, { kind: "plan", plan: PLAN });
      assert.equal(llm.remaining, 0);
      assert.deepEqual(toolNames(llm.requests[0]!), ["list_files", "read_file", "search", "submit_plan", "answer"]);
      assert.equal(toolResults(llm.requests[1]!)[0]!.content, "README.md\nsrc/math.ts");
      assert.match(toolResults(llm.requests[2]!)[1]!.content, /^2\t {2}return a - b;$/m);
      assert.equal(progress.lines.at(-1), "listed files 1 time, read 1 file");
      assert.equal(progress.usages.length, 3);
      assert.equal(progress.usages.at(-1)!.calls, 3);
    });

    it("edits a real working copy, then finishes", async () => {
      llm.push(
        call("read_file", { path: "src/math.ts" }),
        call("edit_file", { path: "src/math.ts", old_string: "add(a: number, b: number) {\n  return a - b;", new_string: "add(a: number, b: number) {\n  return a + b;" }),
        call("write_file", { path: "test/math.test.ts", content: "// test\n" }),
        call("finish", { summary: "Fixed add()." }),
      );
      const { loop, ctx } = makeLoop(provider(), wd.root, { mode: "execute" });
      assert.deepEqual(await loop.run("Implement the plan."), { kind: "finish", summary: "Fixed add()." });
      assert.match(await readFile(join(wd.root, "src/math.ts"), "utf8"), /add\(a: number, b: number\) \{\n {2}return a \+ b;/);
      assert.equal(await readFile(join(wd.root, "test/math.test.ts"), "utf8"), "// test\n");
      assert.deepEqual([...ctx.stats.filesChanged].sort(), ["src/math.ts", "test/math.test.ts"]);
      assert.ok(toolNames(llm.requests[0]!).includes("finish"));
    });

    it("recovers from a tool error", async () => {
      llm.push(call("read_file", { path: "src/maths.ts" }), call("read_file", { path: "src/math.ts" }), call("submit_plan", PLAN));
      const { loop, ctx } = makeLoop(provider(), wd.root);
      assert.equal((await loop.run("Fix add().")).kind, "plan");
      const first = toolResults(llm.requests[1]!)[0]!;
      assert.equal(first.isError, true);
      assert.match(first.content, /does not exist/);
      assert.equal(ctx.stats.errors, 1);
    });

    it("refuses an edit that matches twice, then applies the precise one", async () => {
      llm.push(
        call("edit_file", { path: "src/math.ts", old_string: "return a - b;", new_string: "return a + b;" }),
        call("edit_file", {
          path: "src/math.ts",
          old_string: "b: number) {\n  return a - b;\n}\nexport function sub",
          new_string: "b: number) {\n  return a + b;\n}\nexport function sub",
        }),
        call("finish", { summary: "Fixed." }),
      );
      const { loop } = makeLoop(provider(), wd.root, { mode: "execute" });
      await loop.run("Implement.");
      assert.match(toolResults(llm.requests[1]!)[0]!.content, /matches 2 times in src\/math\.ts/);
      assert.equal(await readFile(join(wd.root, "src/math.ts"), "utf8"), MATH.replace("return a - b;", "return a + b;"));
    });

    it("refuses path escapes (.., absolute, symlink) and keeps going", async () => {
      const outside = await mkdtemp(join(tmpdir(), "openjules-outside-"));
      try {
        await writeFile(join(outside, "secret.txt"), "TOP SECRET");
        await symlink(outside, join(wd.root, "link"));
        llm.push(
          call("read_file", { path: "../../etc/passwd" }),
          call("read_file", { path: join(outside, "secret.txt") }),
          call("read_file", { path: "link/secret.txt" }),
          call("write_file", { path: "link/planted.txt", content: "x" }),
          call("finish", { summary: "Nothing to do." }),
        );
        const { loop } = makeLoop(provider(), wd.root, { mode: "execute" });
        await loop.run("Implement.");
        const results = toolResults(llm.requests.at(-1)!);
        assert.deepEqual(
          results.map((r) => r.isError),
          [true, true, true, true],
        );
        assert.match(results[0]!.content, /outside the working copy/);
        assert.match(results[1]!.content, /outside the working copy/);
        assert.match(results[2]!.content, /symbolic link/);
        assert.ok(results.every((r) => !r.content.includes("TOP SECRET")));
        await assert.rejects(readFile(join(outside, "planted.txt")));
      } finally {
        await rm(outside, { recursive: true, force: true });
      }
    });

    it("asks the model to resend a call whose arguments are not valid JSON", async () => {
      llm.push(rawCall("read_file", '{"path": "src/math.ts"'), call("read_file", { path: "src/math.ts" }), call("submit_plan", PLAN));
      const { loop } = makeLoop(provider(), wd.root);
      assert.equal((await loop.run("Fix.")).kind, "plan");
      const first = toolResults(llm.requests[1]!)[0]!;
      assert.equal(first.isError, true);
      assert.match(first.content, /not valid JSON.*Resend the call/s);
    });

    it("nudges once when the model stops without a tool call, and fails on the second time", async () => {
      llm.push(say("I think I am done."), call("submit_plan", PLAN));
      assert.equal((await makeLoop(provider(), wd.root).loop.run("Fix.")).kind, "plan");
      const nudge = llm.requests[1]!.body.messages.at(-1);
      assert.match(JSON.stringify(nudge), /Call a tool\./);

      llm.reset();
      llm.push(say("Done."), say("Really done.", { stop: "max_tokens" }));
      await rejectsAgentError(makeLoop(provider(), wd.root).loop.run("Fix."), /twice replied without calling a tool.*Really done/);
    });

    it("stops at the turn budget", async () => {
      llm.push(...repeat(3, call("list_files", {})));
      const { loop } = makeLoop(provider(), wd.root, { budget: { maxTurns: 2 } });
      const error = await rejectsAgentError(loop.run("Fix."), /Planning stopped: the task reached its limit of 2 model turns/);
      assert.match(error.hint, /budgets\.max_turns/);
      assert.equal(llm.requests.length, 2);
      assert.equal(error.usage?.calls, 2);
    });

    it("stops at the token and cost budgets", async () => {
      llm.push(...repeat(2, call("list_files", {}, { usage: { input: 900, output: 200 } })));
      await rejectsAgentError(makeLoop(provider(), wd.root, { budget: { maxTokens: 1000 } }).loop.run("Fix."), /budget of 1,000 tokens/);
      assert.equal(llm.requests.length, 1);

      llm.reset();
      llm.push(...repeat(2, call("list_files", {}, { usage: { input: 100_000, output: 10_000 } })));
      const kit = makeLoop(provider(), wd.root, { budget: { maxCostUsd: 0.5 }, price: { input: 3, output: 15 } });
      const error = await rejectsAgentError(kit.loop.run("Fix."), /budget of \$0\.50/);
      assert.equal(error.usage?.costUsd, 0.9, "two calls of 100k input at $3/M and 10k output at $15/M");
      assert.equal(llm.requests.length, 2);

      llm.reset();
      llm.push(call("list_files", {}));
      const before = { inputTokens: 800, outputTokens: 200, calls: 3, wallMs: 1000, costUsd: 0.01 };
      const spent = await rejectsAgentError(makeLoop(provider(), wd.root, { budget: { maxTokens: 1000 }, before }).loop.run("Fix."), /tokens/);
      assert.equal(llm.requests.length, 0, "tokens spent in earlier phases count");
      assert.equal(spent.usage?.calls, 0, "the error reports this phase's usage");
    });

    it("retries a 429 with retry-after inside the loop, then plans", async () => {
      llm.push(fail(429, { headers: { "retry-after-ms": "50" } }), call("submit_plan", PLAN));
      assert.equal((await makeLoop(provider(), wd.root).loop.run("Fix.")).kind, "plan");
      assert.equal(llm.requests.length, 2);
    });

    it("fails clearly when the server keeps answering 500", async () => {
      llm.push(...repeat(4, fail(500)));
      const error = await rejectsAgentError(makeLoop(provider(), wd.root).loop.run("Fix."), /Planning stopped: the model call failed: .*server error.*gave up after 4 attempts/);
      assert.match(error.hint, /Try again later/);
    });

    it("fails clearly when the model does not answer in time", async () => {
      llm.push(...repeat(2, say("late", { delayMs: 3_000 })));
      const error = await rejectsAgentError(makeLoop(provider({ timeoutMs: 150, retry: { maxAttempts: 2 } }), wd.root).loop.run("Fix."), /did not answer in time/);
      assert.match(error.hint, /JULES_LLM_TIMEOUT_MS/);
    });

    it("stops at the wall-time budget during a slow call", async () => {
      llm.push(say("late", { delayMs: 5_000 }));
      await rejectsAgentError(makeLoop(provider(), wd.root, { budget: { maxWallMs: 200 } }).loop.run("Fix."), /time limit/);
    });

    it("passes a cancellation through as the caller's abort reason", async () => {
      llm.push(say("late", { delayMs: 5_000 }));
      const controller = new AbortController();
      const pending = makeLoop(provider(), wd.root, { signal: controller.signal }).loop.run("Fix.");
      setTimeout(() => controller.abort(new Error("task cancelled")), 50);
      await assert.rejects(pending, /task cancelled/);
    });

    it("trims old tool output as a long conversation nears the context window", async () => {
      await writeFile(join(wd.root, "big.txt"), BIG);
      llm.push(...repeat(6, call("read_file", { path: "big.txt" })), call("submit_plan", PLAN));
      const { loop } = makeLoop(provider({ contextWindow: 20_000 }), wd.root);
      assert.equal((await loop.run("Fix.")).kind, "plan");
      assert.equal(elided(llm.requests[1]!), 0);
      assert.ok(elided(llm.requests.at(-1)!) >= 4, "older reads were elided");
      for (const request of llm.requests) assert.ok(JSON.stringify(request.body).length < 20_000 * 4, "no request outgrew the window");
    });

    it("trims harder and retries once when the provider reports a context overflow", async () => {
      await writeFile(join(wd.root, "big.txt"), BIG);
      const overflow =
        format === "openai" ? { code: "context_length_exceeded", message: "maximum context length exceeded" } : { message: "prompt is too long: 99000 tokens > 98000 maximum" };
      llm.push(...repeat(3, call("read_file", { path: "big.txt" })), fail(400, overflow), call("submit_plan", PLAN));
      const { loop } = makeLoop(provider({ contextWindow: 100_000 }), wd.root);
      assert.equal((await loop.run("Fix.")).kind, "plan");
      assert.equal(elided(llm.requests[3]!), 0, "no trimming while the window seemed roomy");
      assert.equal(elided(llm.requests[4]!), 2, "the retry elided all but the latest output");
      assert.equal(toolResults(llm.requests[4]!).length, 3);
    });

    it("fails clearly when the conversation still overflows after trimming", async () => {
      const overflow = format === "openai" ? { code: "context_length_exceeded" } : { message: "prompt is too long: 99000 tokens > 98000 maximum" };
      llm.push(fail(400, overflow), fail(400, overflow));
      const error = await rejectsAgentError(makeLoop(provider(), wd.root).loop.run("Fix."), /context window/);
      assert.match(error.hint, /larger context window/);
      assert.equal(llm.requests.length, 2);
    });
  });
}
