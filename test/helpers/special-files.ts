import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { promisify } from "node:util";

/**
 * Hostile files for the tests of reading repository content: real FIFOs
 * (`mkfifo`), real character devices (`mknod`, root only; null when this host
 * cannot make one), a way to unblock anything stuck opening a FIFO (so a test
 * that failed on a hang still lets its process exit), and the process's peak
 * memory, to assert that a read did not balloon.
 */

const run = promisify(execFile);

export async function makeFifo(path: string): Promise<void> {
  await run("mkfifo", ["--", path]);
}

/** Makes a character device with the kernel's numbers (1,5 is /dev/zero; 1,3 is /dev/null); false when not permitted here. */
export async function makeCharDevice(path: string, major: number, minor: number): Promise<boolean> {
  return run("mknod", ["--", path, "c", String(major), String(minor)]).then(
    () => true,
    () => false,
  );
}

/** Opens each FIFO for writing without blocking and closes it: a reader stuck in open() gets EOF. */
export async function releaseFifos(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    for (let i = 0; i < 20; i++) {
      const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
      if (!handle) break; // ENXIO: no reader is waiting (any more); ENOENT: gone
      await handle.close();
    }
  }
}

/** The peak resident memory of this process so far, in MiB (never goes down). */
export const peakRssMib = (): number => process.resourceUsage().maxRSS / 1024;
