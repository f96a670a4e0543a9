import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transcript } from "../../src/agent/transcript.ts";
import { formatEntry } from "../../src/ops/cli/logs-command.ts";

/** The full log the status points to: a setup or test command's output is kept whole in the transcript, redacted, and readable with `openjules tasks logs`. */
describe("transcript: command output", () => {
  it("keeps a command's whole output (other fields are cut at 20,000 characters), redacts secrets, and formats it for the CLI", async () => {
    const dir = await mkdtemp(join(tmpdir(), "jules-transcript-"));
    try {
      const transcript = new Transcript(join(dir, "t.jsonl"), ["sk-live-secret-value"]);
      const output = `${"x".repeat(100_000)}\nkey=sk-live-secret-value\n\x1b[31mFAIL\x1b[0m`;
      transcript.record({ type: "command", purpose: "test", command: "npm test", exitCode: 1, timedOut: false, output });
      transcript.record({ type: "note", text: "y".repeat(30_000) });
      await transcript.close();
      const [command, note] = (await readFile(join(dir, "t.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok((command!.output as string).startsWith("x".repeat(100_000)), "kept whole");
      assert.match(command!.output as string, /\nkey=\[REDACTED:[^\]]+\]\n\x1b\[31mFAIL\x1b\[0m$/, "as it was printed, secrets redacted");
      assert.doesNotMatch(command!.output as string, /sk-live-secret-value/);
      assert.match(note!.text as string, /\[\.\.\. 10000 characters cut\]$/);
      assert.match(formatEntry(command!), /^\d\d:\d\d:\d\d test command `npm test`: exit code 1\n {4}x{10}/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
