import { lstat } from "node:fs/promises";
import type { ChangeRecord, CommandChanges, CommandSource } from "../agent/port.ts";
import { join } from "node:path";
import { git, GitError } from "./git.ts";
import { ancestors, excludePathspec, gitlinks } from "./nested.ts";
import type { LeftOutPath } from "../domain/left-out.ts";

/**
 * What the agent changed, kept apart from what the repository's commands
 * left behind. The worktree's git index is the record: a path the agent
 * writes with its tools, or a change of a `run` command it chose to keep, is
 * staged at once, as it is at that moment; a commit is the index, nothing
 * else. Every other command (setup, the agent's `run` without `keep`, the
 * test run) is wrapped in `command()`: the worktree's state against the index
 * is taken before and after it, the files it created stay for the commands
 * that follow but are never committed (the pull request lists them, and
 * why), and the files of the index it changed or deleted are put back as the
 * index has them (the base, or the agent's own edit: the agent's edit wins),
 * so no command can slip content into a file the agent commits or edits next.
 * All operations are serialized (a tool the loop gave up on may still run).
 * Git runs on the host with the fixed config of git.ts: no filters, no
 * recursion into nested repositories, which are never staged.
 */

export type { ChangeRecord, CommandChanges, CommandSource };

/** A path that differs from the index, and how it looked (size, times, inode, mode), or "gone". */
type Snapshot = Map<string, { tracked: boolean; mark: string }>;

/** Pure: `git status --porcelain=v1 -z` → worktree-vs-index entries (Y column, or untracked). */
export function parseStatus(out: string): { path: string; tracked: boolean }[] {
  const entries: { path: string; tracked: boolean }[] = [];
  const records = out.split("\0");
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? "";
    if (record.length < 4) continue;
    const x = record[0];
    const y = record[1];
    const path = record.slice(3);
    if (x === "R" || x === "C") i++; // the source path follows (renames are off, but be safe)
    if (x === "?" && y === "?") entries.push({ path, tracked: false });
    else if (y !== " " && y !== "?" && y !== "!") entries.push({ path, tracked: true });
  }
  return entries;
}

/** Pure: the paths whose state differs between two snapshots. */
export function changedBetween(before: Snapshot, after: Snapshot): string[] {
  const paths = new Set<string>();
  for (const [path, entry] of after) if (before.get(path)?.mark !== entry.mark) paths.add(path);
  for (const path of before.keys()) if (!after.has(path)) paths.add(path);
  return [...paths].sort();
}

const mark = async (dir: string, path: string): Promise<string> => {
  const info = await lstat(join(dir, path), { bigint: true }).catch(() => null);
  return info ? `${info.mode}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : "gone";
};

const literal = (path: string) => `:(top,literal)${path.replace(/\/+$/, "")}`;

export class WorktreeChanges implements ChangeRecord {
  readonly dir: string;
  /** Paths changed by commands and not kept, by who changed them first; `undone` when put back. */
  readonly #notKept = new Map<string, { source: CommandSource; undone: boolean }>();
  /** Paths the agent asked to keep that cannot be committed (ignored, in a nested repository, a submodule). */
  readonly #refused = new Map<string, LeftOutPath["reason"]>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.dir = dir;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #snapshot(untracked: "all" | "normal" = "all"): Promise<Snapshot> {
    const out = await git(["status", "--porcelain=v1", "-z", `--untracked-files=${untracked}`, "--ignore-submodules=all", "--no-renames"], { cwd: this.dir });
    const snapshot: Snapshot = new Map();
    const entries = parseStatus(out.stdout);
    for (let i = 0; i < entries.length; i += 256) {
      const batch = entries.slice(i, i + 256);
      const marks = await Promise.all(batch.map((e) => mark(this.dir, e.path)));
      batch.forEach((e, j) => snapshot.set(e.path, { tracked: e.tracked, mark: marks[j] ?? "gone" }));
    }
    return snapshot;
  }

  keep(paths: readonly string[]): Promise<string[]> {
    return this.#serial(() => this.#stage(paths));
  }

  command<T>(source: CommandSource, keep: boolean, run: () => Promise<T>): Promise<CommandChanges<T>> {
    return this.#serial(async () => {
      const before = await this.#snapshot();
      const result = await run();
      const after = await this.#snapshot();
      const changed = changedBetween(before, after);
      if (keep) return { result, changed, kept: await this.#stage(changed.filter((p) => after.has(p) || before.get(p)?.tracked)), undone: [] };
      const undone = changed.filter((p) => (after.get(p) ?? before.get(p))?.tracked);
      if (undone.length > 0) await git(["checkout-index", "--force", "-z", "--stdin"], { cwd: this.dir, input: `${undone.join("\0")}\0` });
      for (const path of changed) {
        const known = this.#notKept.get(path);
        const wasUndone = undone.includes(path);
        if (!known) this.#notKept.set(path, { source, undone: wasUndone });
        else if (wasUndone) known.undone = true;
      }
      return { result, changed, kept: [], undone };
    });
  }

  /** Stages `paths` (additions, changes, deletions), except what can never be committed; returns what was staged. */
  async #stage(paths: readonly string[]): Promise<string[]> {
    const links = await gitlinks(this.dir);
    const stageable: string[] = [];
    for (const raw of new Set(paths)) {
      const path = raw.replace(/\/+$/, "");
      if (!path) continue;
      const inLink = [...links.keys()].some((link) => path === link || path.startsWith(`${link}/`));
      if (inLink) this.#refused.set(path, "submodule");
      else if (raw.endsWith("/") || (await this.#inNestedRepository(path))) this.#refused.set(raw.endsWith("/") ? raw : path, "nested_repository");
      else stageable.push(path);
    }
    const ignored = await this.#ignored(stageable);
    for (const path of ignored) this.#refused.set(path, "ignored");
    const staged = stageable.filter((p) => !ignored.has(p));
    if (staged.length === 0) return [];
    const pathspecs = [...staged.map(literal), ...[...links.keys()].map(excludePathspec)];
    await git(["add", "--all", "--pathspec-from-file=-", "--pathspec-file-nul"], { cwd: this.dir, input: `${pathspecs.join("\0")}\0` });
    for (const path of staged) {
      this.#notKept.delete(path);
      this.#refused.delete(path);
    }
    return staged;
  }

  async #inNestedRepository(path: string): Promise<boolean> {
    for (const dir of ancestors(path))
      if (
        await lstat(join(this.dir, dir, ".git")).then(
          () => true,
          () => false,
        )
      )
        return true;
    return false;
  }

  async #ignored(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    try {
      const out = await git(["check-ignore", "-z", "--stdin"], { cwd: this.dir, input: `${paths.join("\0")}\0` });
      return new Set(out.stdout.split("\0").filter(Boolean));
    } catch (error) {
      if (error instanceof GitError && error.exitCode === 1) return new Set(); // none is ignored
      throw error;
    }
  }

  /**
   * What is in the working copy, or was put back, but not in the commit, and
   * why; untracked directories are listed once (`dir/`).
   */
  leftOut(): Promise<LeftOutPath[]> {
    return this.#serial(async () => {
      const now = await this.#snapshot("normal");
      const out = new Map<string, LeftOutPath>();
      for (const path of now.keys()) {
        const known = this.#notKept.get(path) ?? [...this.#notKept].find(([p]) => path.endsWith("/") && p.startsWith(path))?.[1];
        out.set(path, known ? { path, reason: known.source } : { path, reason: this.#refused.get(path) ?? "unrecorded" });
      }
      for (const [path, known] of this.#notKept) if (known.undone && !out.has(path)) out.set(path, { path, reason: known.source, undone: true });
      for (const [path, reason] of this.#refused) if (!out.has(path) && reason === "ignored") out.set(path, { path, reason });
      return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    });
  }
}
