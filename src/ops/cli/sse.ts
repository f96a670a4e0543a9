/**
 * A Server-Sent Events parser (the WHATWG "event stream interpretation"),
 * fed text in chunks of any size: lines end in CRLF, LF or CR (a CR at the
 * end of a chunk may be half of a CRLF), `data` lines join with "\n",
 * comments (`:`) are keep-alives, `id` persists across messages (it is what
 * `Last-Event-ID` resumes after) and is ignored when it contains NUL,
 * `retry` takes digits only, and a message without data is not dispatched.
 */
export interface SseMessage {
  /** The last event id seen so far (this message's, or an earlier one's). */
  id: string;
  /** `message` when the stream named none. */
  event: string;
  data: string;
}

export class SseParser {
  lastEventId = "";
  /** Reconnection delay the server asked for, in ms. */
  retry: number | null = null;
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private started = false;
  private pendingCr = false;

  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith("\ufeff")) text = text.slice(1);
    }
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === "\r") {
        if (end + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[end + 1] === "\n") next = end + 2;
      }
      this.buffer = this.buffer.slice(next);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\u0000")) this.lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
    return null;
  }

  private dispatch(): SseMessage | null {
    const { data, event } = this;
    this.data = [];
    this.event = "";
    if (data.length === 0) return null;
    return { id: this.lastEventId, event: event || "message", data: data.join("\n") };
  }
}

/** The messages of a response body, as they arrive; ends when the body does (an unfinished message is dropped). */
export async function* readSse(body: ReadableStream<Uint8Array>, parser = new SseParser()): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    yield* parser.push(decoder.decode(bytes, { stream: true }));
  }
  yield* parser.push(decoder.decode());
}
