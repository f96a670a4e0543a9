import { cleanOutput } from "../sandbox/trim-output.ts";
import { findSecretSpans } from "../security/secret-matcher.ts";

/**
 * A command's output turned into event-log chunks as it arrives: cleaned
 * like every output people read (terminal escapes and progress redraws
 * removed, line by line: cleanOutput), every secret redacted, in chunks of
 * at most CHUNK_CHARS. The cuts are placed so no secret is ever split: only
 * whole lines leave (a line longer than LONG_LINE leaves in pieces, never
 * through a secret and never its last HOLD_CHARS, where a token may still be
 * arriving), an unfinished private key block waits for its end, and each
 * piece is redacted with the CONTEXT_CHARS before it (an `Authorization:`
 * header names the token that follows). A command streams at most
 * STREAM_MAX_CHARS; past that only its last TAIL_CHARS are sent at the end,
 * after a line saying how much was left out. For output that fits, the
 * chunks put together are exactly the cleaned, redacted output.
 */

export const CHUNK_CHARS = 8192;
export const STREAM_MAX_CHARS = 256 * 1024;
export const TAIL_CHARS = 16 * 1024;
const LONG_LINE = 8192;
const HOLD_CHARS = 256;
const CONTEXT_CHARS = 256;
const KEY_HOLD_MAX = 64 * 1024;
const KEY_BEGIN = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_END = /-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;

export class OutputStream {
  readonly #emit: (chunk: string) => void;
  readonly #secrets: readonly string[];
  /** Raw text after the last line break. */
  #partial = "";
  /** Cleaned text kept back: an open private key block. */
  #held = "";
  /** The cleaned text just before what is redacted next. */
  #context = "";
  #sent = 0;
  #omitted = 0;
  #tail = "";

  constructor(emit: (chunk: string) => void, secrets: readonly string[]) {
    this.#emit = emit;
    this.#secrets = secrets;
  }

  write(text: string): void {
    this.#partial += text;
    const lineEnd = this.#partial.lastIndexOf("\n");
    if (lineEnd !== -1) {
      this.#held += cleanOutput(this.#partial.slice(0, lineEnd + 1));
      this.#partial = this.#partial.slice(lineEnd + 1);
    }
    if (this.#partial.length > LONG_LINE) {
      const cut = safeCut(this.#partial, this.#partial.length - HOLD_CHARS, this.#secrets);
      this.#held += cleanOutput(this.#partial.slice(0, cut));
      this.#partial = this.#partial.slice(cut);
    }
    this.#release(false);
  }

  /** The command ended: everything left goes, then the tail of what was over the cap. */
  end(): void {
    this.#held += cleanOutput(this.#partial);
    this.#partial = "";
    this.#release(true);
    if (this.#omitted === 0) return;
    const lineStart = this.#tail.indexOf("\n");
    const tail = this.#omitted > this.#tail.length && lineStart !== -1 ? this.#tail.slice(lineStart + 1) : this.#tail;
    const left = this.#omitted - tail.length;
    this.#omitted = 0;
    this.#tail = "";
    this.#pieces(`${left > 0 ? `… [${left} characters of output not streamed] …\n` : ""}${tail}`);
  }

  #release(final: boolean): void {
    let text = this.#held;
    this.#held = "";
    const open = final ? -1 : openKeyBlock(text);
    if (open !== -1 && text.length - open <= KEY_HOLD_MAX) {
      this.#held = text.slice(open);
      text = text.slice(0, open);
    }
    if (text !== "") this.#send(this.#redact(text));
  }

  /** `text` redacted, as part of the output: a secret that begins in the context is hidden too. */
  #redact(text: string): string {
    const base = this.#context.length;
    const window = this.#context + text;
    this.#context = window.slice(-CONTEXT_CHARS);
    let out = "";
    let at = base;
    for (const span of findSecretSpans(window, this.#secrets)) {
      if (span.end <= base) continue;
      out += `${window.slice(at, Math.max(span.start, base))}[REDACTED:${span.rule}]`;
      at = span.end;
    }
    return out + window.slice(at);
  }

  #send(text: string): void {
    const room = STREAM_MAX_CHARS - this.#sent;
    if (text.length <= room) {
      this.#sent += text.length;
      this.#pieces(text);
      return;
    }
    const head = room > 0 ? text.slice(0, text.lastIndexOf("\n", room - 1) + 1) : "";
    this.#sent = STREAM_MAX_CHARS;
    this.#pieces(head);
    const rest = text.slice(head.length);
    this.#omitted += rest.length;
    this.#tail = (this.#tail + rest).slice(-TAIL_CHARS);
  }

  /** At most CHUNK_CHARS each, cut after a line where one ends. */
  #pieces(text: string): void {
    let rest = text;
    while (rest.length > CHUNK_CHARS) {
      const lineEnd = rest.lastIndexOf("\n", CHUNK_CHARS - 1);
      const cut = lineEnd > 0 ? lineEnd + 1 : CHUNK_CHARS;
      this.#emit(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (rest !== "") this.#emit(rest);
  }
}

/** Where a private key block without its end starts in `text`, else -1. */
function openKeyBlock(text: string): number {
  let last = -1;
  for (const match of text.matchAll(KEY_BEGIN)) last = match.index;
  return last !== -1 && !KEY_END.test(text.slice(last)) ? last : -1;
}

/** `at`, or earlier so that the cut is not inside a secret (unless the text is all one, over KEY_HOLD_MAX). */
function safeCut(text: string, at: number, secrets: readonly string[]): number {
  const inside = findSecretSpans(text, secrets).find((s) => s.start < at && at < s.end);
  if (!inside) return at;
  return inside.start > 0 || text.length <= KEY_HOLD_MAX ? inside.start : at;
}
