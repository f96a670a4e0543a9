import { execFile } from "node:child_process";

/**
 * The per-task disk quota: what the working copy and HOME take on disk, as
 * `du -s -x` measures it (blocks actually used, hard links once, symlinks
 * never followed, one file system), checked while a command runs (every few
 * seconds) and after it. Over the quota the command is stopped and the run
 * throws SandboxQuotaError, which fails the task with a message naming the
 * quota and the setting. A tree that `du` cannot measure in time (millions of
 * files) counts as over: the check fails closed.
 */

export class SandboxQuotaError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = "SandboxQuotaError";
    this.hint = hint;
  }
}

const MEASURE_TIMEOUT_MS = 60_000;
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 2 : 1)} GiB`;

/** Bytes used by each path (and below), or null when it could not be measured in time. */
export function diskUsage(paths: readonly string[], timeoutMs = MEASURE_TIMEOUT_MS): Promise<number | null> {
  return new Promise((resolve) => {
    execFile(
      "du",
      ["-s", "-x", "-B1", "--", ...paths],
      { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1024 * 1024, env: { PATH: "/usr/bin:/bin", LC_ALL: "C" } },
      (error, stdout) => {
        // du exits 1 when an entry cannot be read (a chmod 000 directory); what it could read still counts.
        if (error && (error.killed || typeof error.code !== "number")) return resolve(null);
        const sizes = String(stdout)
          .split("\n")
          .filter(Boolean)
          .map((line) => Number(line.split("\t")[0]));
        resolve(sizes.length === 0 || sizes.some((n) => !Number.isFinite(n)) ? null : sizes.reduce((a, b) => a + b, 0));
      },
    );
  });
}

export function quotaError(used: number | null, quotaBytes: number): SandboxQuotaError {
  const what = used === null ? "could not be measured within a minute (too many files)" : `take ${gb(used)}`;
  return new SandboxQuotaError(
    `The task's files (working copy and HOME) ${what}, over this server's per-task disk quota of ${gb(quotaBytes)}: the command was stopped.`,
    "Make the commands write less (build outputs, caches, test artifacts), or ask the operator to raise JULES_TASK_DISK_MB.",
  );
}

export interface DiskWatch {
  /** Aborted when the quota is exceeded while the command runs. */
  readonly signal: AbortSignal;
  /** Stops watching; then measures once more and throws SandboxQuotaError when over the quota. */
  finish(): Promise<void>;
}

/** Watches `paths` while a command runs; the watch's signal also follows `outer`. */
export function watchDisk(paths: readonly string[], quotaBytes: number, outer: AbortSignal | undefined, intervalMs = 5000): DiskWatch {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  outer?.addEventListener("abort", onOuter, { once: true });
  let over: number | null | undefined; // undefined: not over
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  const check = async () => {
    const used = await diskUsage(paths);
    if (used === null || used > quotaBytes) {
      over = used;
      controller.abort(new Error("disk quota"));
    }
  };
  const timer = setInterval(() => {
    if (stopped || controller.signal.aborted) return;
    pending = pending.then(check);
  }, intervalMs);
  timer.unref();
  return {
    signal: controller.signal,
    async finish() {
      stopped = true;
      clearInterval(timer);
      outer?.removeEventListener("abort", onOuter);
      await pending;
      if (over === undefined) await check();
      if (over !== undefined) throw quotaError(over, quotaBytes);
    },
  };
}
