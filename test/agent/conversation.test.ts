import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { Conversation, estimateTokens } from "../../src/agent/conversation.ts";
import { render } from "../../src/agent/prompts.ts";
import { Transcript } from "../../src/agent/transcript.ts";

const tool = (n: number, size: number) => ({ role: "tool" as const, toolCallId: `c${n}`, name: "read_file", content: "x".repeat(size), isError: false });

describe("conversation", () => {
  it("keeps a running token estimate and elides the oldest tool output first", () => {
    const c = new Conversation();
    c.push({ role: "user", content: "go" });
    for (let i = 0; i < 4; i++) {
      c.push({ role: "assistant", content: "", toolCalls: [{ id: `c${i}`, name: "read_file", arguments: "{}" }] });
      c.push(tool(i, 4000));
    }
    const before = c.tokens;
    assert.ok(before > 4000);
    const elided = c.trim(before - 1500, 2);
    assert.equal(elided, 2);
    assert.match((c.messages[2] as { content: string }).content, /read_file output elided to save context \(4000 characters\)/);
    assert.match((c.messages[4] as { content: string }).content, /elided/);
    assert.equal((c.messages[8] as { content: string }).content.length, 4000, "recent output is kept");
    assert.ok(c.tokens <= before - 1500);
  });

  it("elides oversized arguments of old tool calls as valid JSON", () => {
    const c = new Conversation();
    c.push({ role: "assistant", content: "", toolCalls: [{ id: "w", name: "write_file", arguments: JSON.stringify({ path: "a", content: "y".repeat(9000) }) }] });
    c.push(tool(1, 10));
    c.trim(0, 1);
    const args = (c.messages[0] as { toolCalls: { arguments: string }[] }).toolCalls[0]!.arguments;
    assert.match(JSON.parse(args).elided, /characters of arguments removed/);
  });

  it("scales the estimate by what the provider reported, within bounds", () => {
    const c = new Conversation();
    c.push({ role: "user", content: "x".repeat(400) });
    const base = c.tokens;
    c.calibrate(100, 150);
    assert.equal(c.tokens, Math.ceil(base * 1.5));
    c.calibrate(100, 50);
    assert.equal(c.tokens, base);
    assert.equal(estimateTokens("abcdefgh"), 2);
  });
});

describe("prompts and transcript", () => {
  it("fills placeholders in one pass and refuses missing ones", () => {
    assert.equal(render("a {{x}} b {{y}}", { x: "{{y}}", y: "2" }), "a {{y}} b 2");
    assert.throws(() => render("{{missing}}", {}), /placeholder \{\{missing\}\} has no value/);
  });

  it("appends redacted JSON lines to a 0600 file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openjules-transcript-"));
    try {
      const path = join(dir, "transcripts", "t.jsonl");
      const transcript = new Transcript(path, ["hunter2-very-secret"]);
      transcript.record({ type: "user", content: "my key is hunter2-very-secret" });
      transcript.record({ type: "tool", id: "1", name: "read_file", ms: 1, isError: false, result: "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789" });
      await transcript.close();
      const text = await readFile(path, "utf8");
      const lines = text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, string>);
      assert.equal(lines.length, 2);
      assert.match(lines[0]!.content!, /my key is \[REDACTED:/);
      assert.doesNotMatch(text, /hunter2-very-secret|ghp_abcdefghijklmnop/);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
