/**
 * Bounded capture of a command's combined output: the first quarter of
 * `keepBytes` (how the run started) and the last three quarters (where test
 * summaries and the final error are), with a marker saying how much was left
 * out in between. `push` reports when the total passes `maxBytes`, so the
 * caller can kill a command that floods its output.
 */

export class OutputCapture {
  readonly #headMax: number;
  readonly #tailMax: number;
  readonly #maxBytes: number;
  #head: Buffer[] = [];
  #headLen = 0;
  #tail: Buffer[] = [];
  #tailLen = 0;
  #total = 0;

  constructor(keepBytes: number, maxBytes: number) {
    this.#headMax = Math.floor(keepBytes / 4);
    this.#tailMax = keepBytes - this.#headMax;
    this.#maxBytes = maxBytes;
  }

  get totalBytes(): number {
    return this.#total;
  }

  get truncated(): boolean {
    return this.#total > this.#headLen + this.#tailLen;
  }

  /** Adds a chunk; false once more than `maxBytes` were produced. */
  push(chunk: Buffer): boolean {
    this.#total += chunk.length;
    let rest = chunk;
    if (this.#headLen < this.#headMax) {
      const take = rest.subarray(0, this.#headMax - this.#headLen);
      this.#head.push(take);
      this.#headLen += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length > 0) {
      this.#tail.push(rest.length > this.#tailMax ? rest.subarray(rest.length - this.#tailMax) : rest);
      this.#tailLen += Math.min(rest.length, this.#tailMax);
      while (this.#tailLen > this.#tailMax) {
        const first = this.#tail[0] as Buffer;
        const excess = this.#tailLen - this.#tailMax;
        if (first.length <= excess) {
          this.#tail.shift();
          this.#tailLen -= first.length;
        } else {
          this.#tail[0] = first.subarray(excess);
          this.#tailLen -= excess;
        }
      }
    }
    return this.#total <= this.#maxBytes;
  }

  text(): string {
    const head = Buffer.concat(this.#head).toString("utf8");
    const tail = Buffer.concat(this.#tail).toString("utf8");
    const omitted = this.#total - this.#headLen - this.#tailLen;
    return omitted > 0 ? `${head}\n… [${omitted} bytes of output omitted] …\n${tail}` : head + tail;
  }
}
