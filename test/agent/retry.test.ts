import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { classifyFailure } from "../../src/agent/providers/classify.ts";
import { ProviderError } from "../../src/agent/providers/provider.ts";
import { backoffMs, retryAfterMs, withRetry } from "../../src/agent/providers/retry.ts";

const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, maxTotalWaitMs: 1000 };

describe("retry policy", () => {
  it("reads retry-after-ms, retry-after seconds and HTTP dates", () => {
    assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250" })), 250);
    assert.equal(retryAfterMs(new Headers({ "retry-after": "2" })), 2000);
    assert.equal(retryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2015 07:28:10 GMT" }), Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 10_000);
    assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });

  it("backs off exponentially with jitter, up to the cap", () => {
    const p = { maxAttempts: 9, baseDelayMs: 1000, maxDelayMs: 8000, maxTotalWaitMs: 1e6 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((a) => backoffMs(a, p, () => 1)),
      [1000, 2000, 4000, 8000, 8000],
    );
    assert.deepEqual(
      [1, 2, 3].map((a) => backoffMs(a, p, () => 0)),
      [500, 1000, 2000],
    );
  });

  it("retries retryable failures only, and notes the attempts on the final error", async () => {
    let calls = 0;
    const server = (error: unknown) => classifyFailure("X", { status: 503, message: String(error) });
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error("boom");
        },
        server,
        policy,
      ),
      /gave up after 3 attempts/,
    );
    assert.equal(calls, 3);
    calls = 0;
    const auth = () => classifyFailure("X", { status: 401, message: "no" });
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error("no");
        },
        auth,
        policy,
      ),
      (e: unknown) => e instanceof ProviderError && e.kind === "auth",
    );
    assert.equal(calls, 1);
    calls = 0;
    assert.equal(await withRetry(async () => (++calls < 2 ? Promise.reject(new Error("x")) : "ok"), server, policy), "ok");
  });
});

describe("failure classification", () => {
  const kind = (info: Parameters<typeof classifyFailure>[1]) => classifyFailure("P", info);
  it("maps statuses and transport failures to kinds, retryable or not", () => {
    assert.deepEqual([kind({ message: "", timeout: true }).error.kind, kind({ message: "", timeout: true }).retryable], ["timeout", true]);
    assert.equal(kind({ message: "ECONNRESET", connection: true }).error.kind, "connection");
    assert.equal(kind({ status: 429, message: "" }).retryable, true);
    assert.deepEqual(
      [kind({ status: 429, message: "", code: "insufficient_quota" }).error.kind, kind({ status: 429, message: "", code: "insufficient_quota" }).retryable],
      ["rate_limit", false],
    );
    assert.equal(kind({ status: 529, message: "Overloaded" }).error.kind, "server");
    assert.equal(kind({ status: 403, message: "" }).error.kind, "auth");
    assert.equal(kind({ status: 404, message: "model not found" }).error.kind, "bad_request");
  });

  it("recognises context overflow wording of OpenAI, Anthropic and compatible servers", () => {
    assert.equal(kind({ status: 400, message: "x", code: "context_length_exceeded" }).error.kind, "context_overflow");
    for (const message of [
      "prompt is too long: 210000 tokens > 200000 maximum",
      "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens",
      "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
    ]) {
      assert.equal(kind({ status: 400, message }).error.kind, "context_overflow", message);
    }
    assert.equal(kind({ status: 400, message: "tools[0].name: invalid" }).error.kind, "bad_request");
  });

  it("uses the server's requested delay only for retryable failures", () => {
    assert.equal(kind({ status: 429, message: "", headers: new Headers({ "retry-after": "3" }) }).retryAfterMs, 3000);
    assert.equal(kind({ status: 400, message: "", headers: new Headers({ "retry-after": "3" }) }).retryAfterMs, undefined);
  });
});
