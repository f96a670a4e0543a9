/**
 * The speech engine of the spoken summaries: eSpeak NG (`espeak-ng`, in
 * Debian and most distributions), else the older `espeak`, found on the PATH.
 * It is run directly (execFile: no shell, fixed arguments, the text on stdin,
 * the WAV on stdout, a clean environment) with a timeout and a cap on what it
 * may write. It speaks only OpenJules's own summary text, never repository
 * content, so it does not need the sandbox.
 */
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";
import type { SpeechEngine, SpeechFinder } from "./port.ts";
import { wavInfo, withLengths } from "./wav.ts";

export const ENGINE_NAMES = ["espeak-ng", "espeak"] as const;

export interface EspeakOptions {
  /** settings.web.tts: `off` finds no engine. */
  tts: "auto" | "off";
  /** The directories to look in (PATH syntax); the process's PATH when not given. */
  path?: string | undefined;
  /** Longest run of the engine; default 20 s. */
  timeoutMs?: number;
  /** Largest WAV it may write; default 16 MiB (a 600-character summary is about 2 MiB). */
  maxBytes?: number;
}

/** Longest text the engine is given (the summary is capped well below). */
export const MAX_SPOKEN_TEXT = 4000;

/** The engine, found on the first call and remembered (null: none, or speech is off). */
export function espeakFinder(options: EspeakOptions): SpeechFinder {
  let found: Promise<SpeechEngine | null> | null = null;
  return () => (found ??= findEspeak(options));
}

export async function findEspeak(options: EspeakOptions): Promise<SpeechEngine | null> {
  if (options.tts === "off") return null;
  const path = options.path ?? process.env.PATH ?? "";
  // Relative entries would resolve against the working directory: never looked in.
  const dirs = path.split(delimiter).filter((dir) => isAbsolute(dir));
  const env = { PATH: dirs.join(delimiter) };
  for (const name of ENGINE_NAMES) {
    for (const dir of dirs) {
      const file = join(dir, name);
      if (!(await executable(file))) continue;
      const version = await run(file, ["--version"], "", { env, timeoutMs: 5000, maxBytes: 64 * 1024 }).catch(() => null);
      if (version === null) continue;
      return engine(file, `${name} ${versionOf(version.toString("utf8"))}`, env, options);
    }
  }
  return null;
}

function engine(file: string, name: string, env: Record<string, string>, options: EspeakOptions): SpeechEngine {
  const limits = { env, timeoutMs: options.timeoutMs ?? 20_000, maxBytes: options.maxBytes ?? 16 * 1024 * 1024 };
  return {
    engine: name,
    async speak(text) {
      if (text.length > MAX_SPOKEN_TEXT) throw new Error(`The text to speak has ${text.length} characters; at most ${MAX_SPOKEN_TEXT} are spoken.`);
      // -b 1: the text is UTF-8; --stdin: all of it at once; --stdout: the WAV on stdout.
      const out = await run(file, ["-b", "1", "--stdin", "--stdout"], text, limits);
      const wav = withLengths(out);
      if (!wav || !wavInfo(wav)) throw new Error(`${name} wrote no WAV file (${out.length} bytes).`);
      return wav;
    },
  };
}

/** "eSpeak NG text-to-speech: 1.51  Data at: …" → "1.51" (else the first line, short). */
export function versionOf(output: string): string {
  const match = /text-to-speech:\s*([\w.+-]+)/.exec(output);
  return match ? match[1]! : (output.split("\n")[0] ?? "").trim().slice(0, 40) || "(unknown version)";
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function run(file: string, args: string[], input: string, limits: { env: Record<string, string>; timeoutMs: number; maxBytes: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { encoding: "buffer", env: limits.env, timeout: limits.timeoutMs, killSignal: "SIGKILL", maxBuffer: limits.maxBytes, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const why =
          error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER"
            ? `wrote more than ${limits.maxBytes} bytes`
            : error.killed
              ? `took longer than ${limits.timeoutMs} ms`
              : `failed (${error.message.split("\n")[0]})`;
        reject(new Error(`${file} ${why}: ${stderr.toString("utf8").slice(0, 300)}`));
      },
    );
    // An engine that exits before reading everything: its error is the one to report.
    child.stdin?.on("error", () => {});
    child.stdin?.end(input, "utf8");
  });
}
