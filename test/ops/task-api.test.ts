import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { bearerToken, tokenMatches } from "../../src/ops/bearer.ts";
import { parseListQuery } from "../../src/ops/task-api.ts";
import { summarizeTranscript } from "../../src/ops/transcript-summary.ts";
import { opsFixture, type OpsFixture } from "../helpers/ops-fixtures.ts";

describe("parseListQuery", () => {
  it("turns parameters into a store filter with defaults", () => {
    assert.deepEqual(parseListQuery(new URLSearchParams("")), { ok: true, filter: { limit: 50, offset: 0 } });
    assert.deepEqual(parseListQuery(new URLSearchParams("repo=Codertocat/Hello-World.js&state=testing&limit=500&offset=10")), {
      ok: true,
      filter: { owner: "Codertocat", repo: "Hello-World.js", state: "testing", limit: 500, offset: 10 },
    });
    assert.deepEqual(parseListQuery(new URLSearchParams("owner=codertocat&repo=Codertocat/x")), { ok: true, filter: { owner: "codertocat", repo: "x", limit: 50, offset: 0 } });
  });

  it("refuses what the store would misread", () => {
    for (const query of ["limit=1.5", "limit=501", "offset=1e3", "repo=-bad/x", "repo=owner/", "owner=a/b", "state="]) {
      assert.equal(parseListQuery(new URLSearchParams(query)).ok, false, query);
    }
  });
});

describe("bearer token", () => {
  it("reads only the Bearer scheme and compares exactly", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer  abc "), "abc");
    for (const header of [undefined, "", "Basic abc", "Bearer", "Bearer a b"]) assert.equal(bearerToken(header), null, String(header));
    assert.equal(tokenMatches("abc", "abc"), true);
    assert.equal(tokenMatches("abcd", "abc"), false);
    assert.equal(tokenMatches(null, "abc"), false);
  });
});

describe("summarizeTranscript", () => {
  let fx: OpsFixture;
  beforeAll(async () => {
    fx = await opsFixture();
  });
  afterAll(() => fx.close());

  it("is null for a task without a transcript", async () => {
    assert.equal(await summarizeTranscript(fx.dataDir, "no-such-task"), null);
  });

  it("counts tool names as data (even __proto__), ignores junk, and leaves an unfinished phase open", async () => {
    const lines = [
      { type: "start", phase: "Execution", provider: "anthropic", model: "claude-sonnet-4-5", system: "s", tools: [] },
      { type: "tool", id: "1", name: "__proto__", ms: 1, isError: false, result: "" },
      { type: "model", turn: 1, ms: 1, text: "", toolCalls: [], stopReason: "end", usage: { inputTokens: -5, outputTokens: "many" } },
      [1, 2],
    ];
    await mkdir(join(fx.dataDir, "transcripts"), { recursive: true });
    await writeFile(join(fx.dataDir, "transcripts", "t-1.jsonl"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n\n`);
    const s = await summarizeTranscript(fx.dataDir, "t-1");
    assert.ok(s);
    assert.equal(Object.getPrototypeOf(s.tools), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(s.tools, "__proto__")?.value, 1);
    assert.deepEqual([s.modelCalls, s.inputTokens, s.outputTokens, s.toolCalls, s.unreadableLines], [1, 0, 0, 1, 1]);
    assert.deepEqual(s.phases, [{ phase: "Execution", provider: "anthropic", model: "claude-sonnet-4-5", outcome: null }]);
  });
});
