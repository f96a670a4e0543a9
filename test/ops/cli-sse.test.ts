import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "vitest";
import { readSse, SseParser, type SseMessage } from "../../src/ops/cli/sse.ts";

const STREAM = [
  "\ufeff: hello, a comment\n",
  "retry: 1500\n",
  'id: 7\nevent: state\ndata: {"to":"planning"}\n\n',
  "data: first line\r\ndata:second line\r\n\r\n",
  "id: 9\rdata: cr only\r\r",
  "id\ndata\n\n",
  "event: ping\n\n",
  "id: 1\u00002\ndata: nul id ignored\n\n",
  "retry: soon\ndata: unfinished",
].join("");

const EXPECTED: SseMessage[] = [
  { id: "7", event: "state", data: '{"to":"planning"}' },
  { id: "7", event: "message", data: "first line\nsecond line" },
  { id: "9", event: "message", data: "cr only" },
  { id: "", event: "message", data: "" },
  { id: "", event: "message", data: "nul id ignored" },
];

function parseAll(chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  return { messages: chunks.flatMap((c) => parser.push(c)), parser };
}

describe("the SSE parser", () => {
  it("follows the event-stream rules: comments, CRLF/CR/LF, multi-line data, id persistence, NUL ids, retry, empty messages", () => {
    const { messages, parser } = parseAll([STREAM]);
    assert.deepEqual(messages, EXPECTED);
    assert.equal(parser.retry, 1500);
    assert.equal(parser.lastEventId, "");
  });

  it("gives the same messages however the stream is cut into chunks (a CRLF split between chunks included)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => STREAM.slice(start, points[i] ?? STREAM.length));
        assert.deepEqual(parseAll(chunks).messages, EXPECTED);
      }),
    );
    assert.deepEqual(parseAll(["data: a\r", "\ndata: b\r", "\n\r", "\n"]).messages, [{ id: "", event: "message", data: "a\nb" }]);
  });

  it("reads a response body of UTF-8 bytes split inside a character", async () => {
    const bytes = new TextEncoder().encode("id: 3\ndata: café ✓\n\ndata: cut");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 16));
        controller.enqueue(bytes.slice(16));
        controller.close();
      },
    });
    const seen: SseMessage[] = [];
    for await (const message of readSse(body)) seen.push(message);
    assert.deepEqual(seen, [{ id: "3", event: "message", data: "café ✓" }]);
  });
});
