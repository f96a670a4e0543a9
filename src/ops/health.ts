/**
 * Liveness and readiness. Alive means the process answers (no dependency is
 * consulted, so a slow database never gets the process restarted). Ready
 * means this process can do its work right now: the task store answers a
 * cheap query, the queue reports its depth, and the data directory takes a
 * write and has free space above a threshold. Every check has a timeout and
 * reports how long it took and, when it fails, why.
 */
import { randomUUID } from "node:crypto";
import { statfs, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { JobQueue } from "../queue/port.ts";
import type { TaskStore } from "../store/port.ts";
import { errorMessage } from "../domain/error-message.ts";

export interface ReadinessDeps {
  store: Pick<TaskStore, "list">;
  queue: Pick<JobQueue, "depth">;
  dataDir: string;
  /** Free space below which the data directory counts as not ready. Default 1 GiB. */
  minFreeBytes?: number;
  /** Time each check may take. Default 2 s. */
  timeoutMs?: number;
}

export interface CheckResult {
  name: "database" | "queue" | "disk";
  ok: boolean;
  ms: number;
  /** What was seen (queue depth, free bytes), when the check passed. */
  detail?: string;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: CheckResult[];
}

export const DEFAULT_MIN_FREE_BYTES = 1024 ** 3;
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export const liveness = () => ({ status: "ok" as const });

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const checks = await Promise.all([
    timed("database", timeoutMs, async () => {
      await deps.store.list({ limit: 1 });
      return "answered";
    }),
    timed("queue", timeoutMs, async () => `depth ${await deps.queue.depth()}`),
    timed("disk", timeoutMs, () => checkDisk(deps.dataDir, deps.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES)),
  ]);
  return { ready: checks.every((c) => c.ok), checks };
}

/** Writes and removes a probe file (proves the directory is writable and not full), then checks free space. */
export async function checkDisk(dataDir: string, minFreeBytes: number): Promise<string> {
  const probe = join(dataDir, `.ready-${randomUUID()}`);
  await writeFile(probe, "ok", { mode: 0o600 });
  await unlink(probe);
  const stats = await statfs(dataDir);
  const free = stats.bavail * stats.bsize;
  if (free < minFreeBytes) throw new Error(`only ${formatBytes(free)} free in ${dataDir}, below the ${formatBytes(minFreeBytes)} minimum`);
  return `${formatBytes(free)} free`;
}

async function timed(name: CheckResult["name"], timeoutMs: number, check: () => Promise<string>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return { name, ok: true, ms: elapsed(started), detail };
  } catch (error) {
    return { name, ok: false, ms: elapsed(started), error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
