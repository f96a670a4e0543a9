import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { redactSecrets } from "../security/redact.ts";

/**
 * The transcript of a task: every model call and tool call, and the full
 * output of its setup and test commands (what the status and pull request
 * show is shortened and points here), appended as one
 * JSON line to a file the caller chooses (the agent uses
 * `<dataDir>/transcripts/<taskId>.jsonl`), readable by the operator later.
 * Every string in a line is redacted (known secret shapes plus the configured
 * API keys) before it is written; the file is created with mode 0600. Writing never
 * blocks the loop and a failing disk never fails the task.
 */

export type TranscriptEntry =
  | { type: "start"; phase: string; provider: string; model: string; system: string; tools: string[] }
  | { type: "user"; content: string }
  | {
      type: "model";
      turn: number;
      ms: number;
      text: string;
      toolCalls: { id: string; name: string; arguments: string }[];
      stopReason: string;
      usage: { inputTokens: number; outputTokens: number };
    }
  | { type: "tool"; id: string; name: string; ms: number; isError: boolean; result: string }
  | { type: "trim"; elided: number; reason: string }
  | { type: "note"; text: string }
  | { type: "command"; purpose: "setup" | "test"; command: string; exitCode: number | null; timedOut: boolean; output: string }
  /** A file of an external agent's channel (src/agent/external/): the inbox and prompt OpenJules wrote, the outbox it read. */
  | { type: "channel"; agent: string; file: string; content: string }
  /** One run of an external agent: its command line and its output (stdout and stderr together, and stdout alone when it reports there). */
  | { type: "agent"; agent: string; command: string; exitCode: number | null; timedOut: boolean; output: string; stdout?: string | undefined }
  | { type: "end"; phase: string; outcome: string };

const MAX_FIELD = 20_000;
/** A setup or test command's output is kept whole (the runner already caps it): it is the full log the status points to. */
const MAX_COMMAND_OUTPUT = 1024 * 1024;

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
    const line = JSON.stringify({ at: new Date().toISOString(), ...entry }, (key, value: unknown) => {
      if (typeof value !== "string") return value;
      const whole = (entry.type === "command" && key === "output") || (entry.type === "agent" && (key === "output" || key === "stdout")) || entry.type === "channel";
      const max = whole ? MAX_COMMAND_OUTPUT : MAX_FIELD;
      const cut = value.length > max ? `${value.slice(0, max)}[... ${value.length - max} characters cut]` : value;
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

/** Where a task's transcript is kept: `<dataDir>/transcripts/<taskId>.jsonl`. */
export const transcriptPath = (dataDir: string, taskId: string): string => join(dataDir, "transcripts", `${taskId.replace(/[^\w.-]/g, "_")}.jsonl`);
