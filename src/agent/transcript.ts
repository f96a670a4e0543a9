import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { redactSecrets } from "../security/redact.ts";

/**
 * The transcript of a task: every model call and tool call appended as one
 * JSON line to a file the caller chooses (the agent uses
 * `<dataDir>/transcripts/<taskId>.jsonl`), readable by the operator later.
 * Every string in a line is redacted (known secret shapes plus the configured
 * API keys) before it is written; the file is created with mode 0600. Writing never
 * blocks the loop and a failing disk never fails the task.
 */

export type TranscriptEntry =
  | { type: "start"; phase: string; provider: string; model: string; system: string; tools: string[] }
  | { type: "user"; content: string }
  | { type: "model"; turn: number; ms: number; text: string; toolCalls: { id: string; name: string; arguments: string }[]; stopReason: string; usage: { inputTokens: number; outputTokens: number } }
  | { type: "tool"; id: string; name: string; ms: number; isError: boolean; result: string }
  | { type: "trim"; elided: number; reason: string }
  | { type: "note"; text: string }
  | { type: "end"; phase: string; outcome: string };

const MAX_FIELD = 20_000;

export class Transcript {
  readonly path: string;
  readonly #secrets: readonly string[];
  #stream: WriteStream | null = null;
  #failed = false;

  constructor(path: string, secrets: readonly string[] = []) {
    this.path = path;
    this.#secrets = secrets;
  }

  record(entry: TranscriptEntry): void {
    if (this.#failed) return;
    const line = JSON.stringify({ at: new Date().toISOString(), ...entry }, (_key, value: unknown) => {
      if (typeof value !== "string") return value;
      const cut = value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD)}[... ${value.length - MAX_FIELD} characters cut]` : value;
      return redactSecrets(cut, this.#secrets);
    });
    this.#open()?.write(`${line}\n`);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = null;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.end(() => resolve()));
  }

  #open(): WriteStream | null {
    if (this.#stream) return this.#stream;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.#stream = createWriteStream(this.path, { flags: "a", mode: 0o600 });
      this.#stream.on("error", () => {
        this.#failed = true;
      });
      return this.#stream;
    } catch {
      this.#failed = true;
      return null;
    }
  }
}
