import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { OutputCapture } from "./output-capture.ts";

/**
 * Runs one process in its own process group and enforces the wall-time and
 * output limits from outside: at the limit (or on abort) the whole group gets
 * SIGKILL. For bubblewrap that group is bwrap itself, whose death takes the
 * sandbox's pid namespace, and so every process in it, down with it. Extra
 * file descriptors (3, 4, ...) carry generated file contents to bwrap.
 * `onOutput` is told the output as it is read (UTF-8 decoded per stream, so
 * no character is split), before and apart from the capture's caps.
 */

/** Who stopped the command: the wall-time limit, the output limit, the caller, or (set by the runner) the memory cgroup. */
export type KilledBy = "timeout" | "output" | "aborted" | "memory";

export interface ProcessSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  fds?: (string | Buffer)[];
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  outputKeepBytes: number;
  outputMaxBytes: number;
  /** Told each piece of stdout and stderr as it arrives; an error it throws is ignored. */
  onOutput?: ((text: string) => void) | undefined;
}

export interface ProcessResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  truncated: boolean;
  killedBy?: KilledBy;
}

/** After the process exits, how long to wait for inherited pipes to close before giving up on them. */
const PIPE_GRACE_MS = 2000;

export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const fds = spec.fds ?? [];
    const child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe", ...fds.map(() => "pipe" as const)],
    });
    const capture = new OutputCapture(spec.outputKeepBytes, spec.outputMaxBytes);
    let killedBy: KilledBy | undefined;
    const kill = (reason: KilledBy) => {
      killedBy ??= reason;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const tell = (text: string) => {
      if (text === "" || !spec.onOutput) return;
      try {
        spec.onOutput(text);
      } catch {
        // a listener's failure is not the command's
      }
    };
    const decoders = [new StringDecoder("utf8"), new StringDecoder("utf8")] as const;
    const onData = (decoder: StringDecoder) => (chunk: Buffer) => {
      if (spec.onOutput) tell(decoder.write(chunk));
      if (!capture.push(chunk) && !killedBy) kill("output");
    };
    child.stdout?.on("data", onData(decoders[0]));
    child.stderr?.on("data", onData(decoders[1]));
    fds.forEach((content, i) => {
      const stream = child.stdio[3 + i];
      if (stream && "end" in stream) {
        stream.on("error", () => {});
        stream.end(content);
      }
    });
    const timer = setTimeout(() => kill("timeout"), spec.timeoutMs);
    const onAbort = () => kill("aborted");
    if (spec.signal?.aborted) onAbort();
    spec.signal?.addEventListener("abort", onAbort, { once: true });

    let exitCode: number | null = null;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener("abort", onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      for (const decoder of decoders) tell(decoder.end());
      const result: ProcessResult = { exitCode, output: capture.text(), timedOut: killedBy === "timeout", truncated: capture.truncated || killedBy === "output" };
      if (killedBy) result.killedBy = killedBy;
      resolve(result);
    };
    child.on("error", (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      exitCode = code;
      // A process that escaped the group (only possible without bubblewrap) may hold the pipes open.
      setTimeout(finish, PIPE_GRACE_MS).unref();
    });
    child.on("close", finish);
  });
}
