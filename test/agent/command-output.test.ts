import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { CHUNK_CHARS, OutputStream, STREAM_MAX_CHARS, TAIL_CHARS } from "../../src/agent/command-output.ts";
import { cleanOutput } from "../../src/sandbox/trim-output.ts";
import { redactSecrets } from "../../src/security/redact.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { testPrivateKey } from "../helpers/keys.ts";

const OWN = "own-process-secret-0123456789";

/** Streams `output` written in pieces cut at `cuts` (offsets), returns the chunks. */
function streamed(output: string, cuts: number[], secrets: readonly string[] = [OWN]): string[] {
  const chunks: string[] = [];
  const stream = new OutputStream((chunk) => chunks.push(chunk), secrets);
  let at = 0;
  for (const cut of [...cuts, output.length]) {
    stream.write(output.slice(at, cut));
    at = cut;
  }
  stream.end();
  return chunks;
}

/** Every cut of `text` at a few characters' distance, for secrets written across pieces. */
const everyCut = (text: string, step: number) => Array.from({ length: Math.floor(text.length / step) }, (_, i) => (i + 1) * step);

describe("command output as event-log chunks", () => {
  it("puts together to the cleaned, redacted output, however the pieces arrive", () => {
    const output = [
      "> test\r\n",
      "\u001b[31mFAIL\u001b[0m config.test.ts\n",
      "progress 10%\rprogress 100%\n",
      `token=${FAKE.githubClassic} and Authorization: Bearer opaque-value-0123456789abcdef\n`,
      `own ${OWN} end\n`,
      "last line without a break",
    ].join("");
    const expected = redactSecrets(cleanOutput(output), [OWN]);
    assert.ok(!expected.includes(FAKE.githubClassic) && !expected.includes("opaque-value") && !expected.includes(OWN));
    for (const step of [1, 3, 7, 50, output.length]) {
      const chunks = streamed(output, everyCut(output, step));
      assert.equal(chunks.join(""), expected, `pieces of ${step}`);
      assert.ok(
        chunks.every((c) => !c.includes("gh" + "p_") && !c.includes(OWN.slice(0, 12))),
        `no part of a secret in a chunk (pieces of ${step})`,
      );
    }
  });

  it("holds a private key block until its end, so no line of it is shown", () => {
    const key = testPrivateKey();
    const output = `before\n${key.trim()}\nafter\n`;
    const chunks = streamed(output, everyCut(output, 40), []);
    const body = key.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    assert.ok(body.length > 5);
    for (const line of body) assert.ok(!chunks.join("").includes(line), "a line of the key");
    assert.match(chunks.join(""), /^before\n\[REDACTED:private-key\]\nafter\n$/);
  });

  it("cuts a long line in pieces, never through a secret", () => {
    const long = `${"x".repeat(20_000)} ${FAKE.githubClassic} ${"y".repeat(20_000)}`;
    const chunks = streamed(long, everyCut(long, 4096));
    assert.equal(chunks.join(""), redactSecrets(long));
    assert.ok(chunks.every((c) => c.length <= CHUNK_CHARS));
    assert.ok(!chunks.some((c) => c.includes("gh" + "p_")));
  });

  it("chunks of at most CHUNK_CHARS, cut after a line", () => {
    const output = Array.from({ length: 3000 }, (_, i) => `line ${i}\n`).join("");
    const chunks = streamed(output, [output.length]);
    assert.equal(chunks.join(""), output);
    assert.ok(chunks.length > 1 && chunks.every((c) => c.length <= CHUNK_CHARS && c.endsWith("\n")));
  });

  it("streams at most STREAM_MAX_CHARS, then at the end the tail after a line saying what was left out", () => {
    const line = (i: number) => `${String(i).padStart(8, "0")} ${"z".repeat(70)}\n`;
    const width = line(0).length;
    const count = Math.ceil((STREAM_MAX_CHARS * 2) / width);
    const output = Array.from({ length: count }, (_, i) => line(i)).join("");
    const text = streamed(output, everyCut(output, 65_536)).join("");
    const marker = /\n… \[(\d+) characters of output not streamed\] …\n/.exec(text);
    assert.ok(marker, "says what was left out");
    const head = text.slice(0, marker.index + 1);
    const tail = text.slice(marker.index + marker[0].length);
    assert.ok(head.length <= STREAM_MAX_CHARS && output.startsWith(head));
    assert.ok(tail.length <= TAIL_CHARS && output.endsWith(tail) && tail.startsWith(line(count - tail.length / width)));
    assert.equal(head.length + Number(marker[1]) + tail.length, output.length);
  });

  it("an empty output gives no chunk", () => {
    assert.deepEqual(streamed("", []), []);
  });
});
