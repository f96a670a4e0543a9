import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

/** Runs `node eval/run.ts <args>` as `npm run eval` does, with a clean environment (PATH and HOME only) in `cwd`. */

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");

export async function runEvalCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  return promisify(execFile)(NODE, [join(ROOT, "eval", "run.ts"), ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 840_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === "number" ? error.code : -1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }),
  );
}
