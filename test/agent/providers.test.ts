import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { ProviderError, type ModelRequest } from "../../src/agent/providers/provider.ts";
import { FORMATS, providerFor } from "../helpers/fake-llm/providers.ts";
import { call, drop, fail, rawCall, repeat, say } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../helpers/fake-llm/server.ts";

/** Both real SDKs against the fake server: wire mapping, retries and failure classification. */

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: "You are a test.",
  messages: [{ role: "user", content: "hello" }],
  tools: [{ name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } }],
  maxOutputTokens: 1000,
  ...overrides,
});

const rejectsWith = async (promise: Promise<unknown>, kind: ProviderError["kind"]): Promise<ProviderError> => {
  const error = await promise.then(
    () => assert.fail("expected a ProviderError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProviderError, `expected ProviderError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  return error;
};

for (const format of FORMATS) {
  describe(`${format} provider against the fake server`, () => {
    let llm: FakeLlm;
    beforeAll(async () => {
      llm = await startFakeLlm();
    });
    afterAll(() => llm.close());
    const fresh = () => llm.reset();

    it("sends system, messages and tools in the real wire format and maps a tool call back", async () => {
      fresh();
      llm.push(call("read_file", { path: "src/a.ts" }, { text: "Let me look.", usage: { input: 120, output: 30 } }));
      const response = await providerFor(format, llm).complete(request());
      assert.equal(response.text, "Let me look.");
      assert.equal(response.stopReason, "tool_use");
      assert.deepEqual(response.usage, { inputTokens: 120, outputTokens: 30 });
      assert.equal(response.toolCalls.length, 1);
      assert.equal(response.toolCalls[0]!.name, "read_file");
      assert.deepEqual(JSON.parse(response.toolCalls[0]!.arguments), { path: "src/a.ts" });
      assert.ok(response.toolCalls[0]!.id.length > 0);

      const body = llm.requests[0]!.body;
      if (format === "openai") {
        assert.deepEqual(body.messages[0], { role: "system", content: "You are a test." });
        assert.equal(body.tools[0].type, "function");
        assert.equal(body.tools[0].function.name, "read_file");
        assert.equal(body.max_completion_tokens, 1000);
      } else {
        assert.equal(body.system, "You are a test.");
        assert.equal(body.tools[0].name, "read_file");
        assert.equal(body.tools[0].input_schema.type, "object");
        assert.equal(body.max_tokens, 1000);
      }
    });

    it("sends tool calls and tool results (with errors) back in the provider's shape", async () => {
      fresh();
      llm.push(say("done"));
      await providerFor(format, llm).complete(
        request({
          messages: [
            { role: "user", content: "go" },
            { role: "assistant", content: "", toolCalls: [{ id: "c1", name: "read_file", arguments: "{not json" }] },
            { role: "tool", toolCallId: "c1", name: "read_file", content: "Error: bad", isError: true },
            { role: "user", content: "please continue" },
          ],
        }),
      );
      const body = llm.requests[0]!.body;
      if (format === "openai") {
        const assistant = body.messages[2];
        assert.equal(assistant.content, null);
        assert.equal(assistant.tool_calls[0].function.arguments, "{}", "invalid JSON is not echoed back to the server");
        assert.deepEqual(body.messages[3], { role: "tool", tool_call_id: "c1", content: "Error: bad" });
      } else {
        assert.deepEqual(body.messages[1], { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "read_file", input: {} }] });
        assert.equal(body.messages.length, 3, "tool result and the next user text share one user turn");
        assert.deepEqual(body.messages[2].content[0], { type: "tool_result", tool_use_id: "c1", content: "Error: bad", is_error: true });
        assert.deepEqual(body.messages[2].content[1], { type: "text", text: "please continue" });
      }
    });

    it("retries a 429 after the retry-after delay, then succeeds", async () => {
      fresh();
      llm.push(fail(429, { headers: { "retry-after-ms": "300" } }), say("ok"));
      const started = Date.now();
      const response = await providerFor(format, llm).complete(request());
      assert.equal(response.text, "ok");
      assert.equal(llm.requests.length, 2);
      assert.ok(Date.now() - started >= 290, "waited at least as long as the server asked");
    });

    it("honours retry-after in seconds", async () => {
      fresh();
      llm.push(fail(429, { headers: { "retry-after": "1" } }), say("ok"));
      const started = Date.now();
      await providerFor(format, llm).complete(request());
      assert.ok(Date.now() - started >= 990);
    });

    it("gives up at once when retry-after exceeds the total wait cap", async () => {
      fresh();
      llm.push(fail(429, { headers: { "retry-after": "3600" } }), say("never"));
      const error = await rejectsWith(providerFor(format, llm).complete(request()), "rate_limit");
      assert.match(error.message, /asked to wait 3600s/);
      assert.equal(llm.requests.length, 1);
    });

    it("retries 5xx until the attempts run out, with a clear final error", async () => {
      fresh();
      llm.push(...repeat(4, fail(format === "anthropic" ? 529 : 500)));
      const error = await rejectsWith(providerFor(format, llm).complete(request()), "server");
      assert.match(error.message, /gave up after 4 attempts/);
      assert.equal(llm.requests.length, 4);
    });

    it("retries a dropped connection", async () => {
      fresh();
      llm.push(drop(), say("back"));
      const response = await providerFor(format, llm).complete(request());
      assert.equal(response.text, "back");
      assert.equal(llm.requests.length, 2);
    });

    it("times out a slow answer, retries, and reports a timeout", async () => {
      fresh();
      llm.push(...repeat(2, say("too late", { delayMs: 2_000 })));
      const provider = providerFor(format, llm, { timeoutMs: 200, retry: { maxAttempts: 2 } });
      const error = await rejectsWith(provider.complete(request()), "timeout");
      assert.match(error.message, /did not answer in time/);
      assert.equal(llm.requests.length, 2);
    });

    it("classifies a context overflow without retrying", async () => {
      fresh();
      const message =
        format === "openai"
          ? "This model's maximum context length is 128000 tokens. However, your messages resulted in 130001 tokens."
          : "prompt is too long: 210000 tokens > 200000 maximum";
      llm.push(fail(400, { message, ...(format === "openai" ? { code: "context_length_exceeded" } : {}) }));
      await rejectsWith(providerFor(format, llm).complete(request()), "context_overflow");
      assert.equal(llm.requests.length, 1);
    });

    it("classifies a rejected key as auth, without retrying or echoing the key", async () => {
      fresh();
      llm.push(fail(401));
      const error = await rejectsWith(providerFor(format, llm).complete(request()), "auth");
      assert.doesNotMatch(error.message, /sk-/);
      assert.equal(llm.requests.length, 1);
    });

    it("stops retrying when the caller aborts", async () => {
      fresh();
      llm.push(say("slow", { delayMs: 5_000 }));
      const controller = new AbortController();
      const pending = providerFor(format, llm).complete(request({ signal: controller.signal }));
      setTimeout(() => controller.abort(new Error("cancelled by test")), 50);
      await assert.rejects(pending, /cancelled by test/);
      assert.equal(llm.requests.length, 1);
    });

    it("passes invalid tool JSON through untouched for the loop to reject", async () => {
      fresh();
      llm.push(rawCall("read_file", '{"path": "a.ts"'));
      const response = await providerFor(format, llm).complete(request());
      assert.equal(response.toolCalls.length, 1);
      assert.throws(() => JSON.parse(response.toolCalls[0]!.arguments) as unknown);
    });
  });
}

describe("OpenAI-compatible quirks", () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it("synthesises missing tool call ids, accepts object arguments and estimates missing usage", async () => {
    llm.push(call("read_file", { path: "x.ts" }, { omitIds: true, argsAsObject: true, usage: null }));
    const response = await providerFor("openai", llm).complete(request());
    assert.equal(response.toolCalls[0]!.id, "call_1_0");
    assert.deepEqual(JSON.parse(response.toolCalls[0]!.arguments), { path: "x.ts" });
    assert.ok(response.usage.inputTokens > 10, "input tokens estimated from the request size");
    assert.ok(response.usage.outputTokens > 0);
  });
});
