import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { copyEntry, type CopyBudget } from "./copy-tree.ts";

/**
 * Ready copies: a restore must not wait for thousands of files to be
 * created, so each snapshot keeps one spare copy of itself,
 * `<key>/ready/<uuid>/{home,work}`, made in the background after a save or a
 * restore, that the next task gets by rename (a few renames, whatever its
 * size). A ready copy is a fresh copy of the snapshot that no task has seen:
 * it is handed out once, then it belongs to that task. Everything here runs
 * with the key's lock held (store.ts), so a `.tmp-` copy found here is the
 * leftover of a crash.
 */

const READY = "ready";
const UUID = /^[0-9a-f-]{36}$/;

/** A complete ready copy of the snapshot `dir`, or null. */
export async function readyCopy(dir: string): Promise<string | null> {
  const name = (await readdir(join(dir, READY)).catch(() => [] as string[])).find((n) => UUID.test(n));
  return name ? join(dir, READY, name) : null;
}

/** Moves a ready copy into a task's empty HOME and its working copy (targets checked free); each target moved is pushed on `made`. */
export async function moveInto(ready: string, home: string, workdir: string, work: readonly string[], made: string[]): Promise<void> {
  for (const name of await readdir(join(ready, "home"))) {
    made.push(join(home, name));
    await rename(join(ready, "home", name), join(home, name));
  }
  for (const rel of work) {
    made.push(join(workdir, rel));
    await rename(join(ready, "work", rel), join(workdir, rel));
  }
  await rm(ready, { recursive: true, force: true });
}

/** Copies the snapshot's HOME and dependency folders from `from` (a snapshot or a task) into the new directory `to`. */
export async function copySnapshot(from: { home: string; workdir: string }, to: string, work: readonly string[], budget: CopyBudget): Promise<void> {
  await mkdir(to, { mode: 0o700 });
  await copyEntry(from.home, join(to, "home"), budget);
  await mkdir(join(to, "work"), { mode: 0o755 });
  for (const rel of work) {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++)
      await mkdir(join(to, "work", ...parts.slice(0, i)), { mode: 0o755 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
    await copyEntry(join(from.workdir, rel), join(to, "work", rel), budget);
  }
}

/**
 * Makes a ready copy of the snapshot `dir` unless one is there; removes
 * crashed ones first. `owner`: the sandbox user when the app runs as root, so
 * the task's first command has nothing to hand over (the store's directory is
 * 0700 and the app's: that user cannot reach the copy before it is moved).
 */
export async function refill(dir: string, work: readonly string[], owner: CopyBudget["owner"]): Promise<void> {
  const ready = join(dir, READY);
  await mkdir(ready, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EEXIST") throw e;
  });
  for (const name of await readdir(ready)) if (!UUID.test(name)) await rm(join(ready, name), { recursive: true, force: true });
  if (await readyCopy(dir)) return;
  const tmp = join(ready, `.tmp-${randomUUID()}`);
  try {
    await copySnapshot({ home: join(dir, "home"), workdir: join(dir, "work") }, tmp, work, { bytes: 0, maxBytes: Number.MAX_SAFE_INTEGER, owner });
    await rename(tmp, join(ready, randomUUID()));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
