import { git, gitBytes } from "./git.ts";

/**
 * What a push of HEAD would send, read from the object database, not the
 * working copy: every commit between the base and HEAD (the raw object:
 * author, committer and message), and every file content those commits add
 * or change (the blob as committed, after git's conversions: eol,
 * working-tree-encoding, filters), with the same path's content on the base
 * when it has one. Read with `git cat-file --batch`, a batch at a time, so
 * memory stays bounded; a blob over `maxBlobBytes` is reported with its size
 * and no bytes. Submodule links carry no content and are skipped (they are
 * refused elsewhere). Nothing here runs attributes, filters or textconv.
 */

export type PushedObject = { kind: "commit"; sha: string; raw: Buffer } | { kind: "file"; path: string; sha: string; size: number; bytes: Buffer | null; before: Buffer | null };

const BATCH_BYTES = 64 * 1024 * 1024;
const GITLINK = "160000";

interface Entry {
  path: string;
  sha: string;
}

/** Pure: `git diff-tree -r -z` raw output (of one commit or several) → the added or changed entries (new side), gitlinks left out. */
export function parseRawEntries(raw: string): Entry[] {
  const parts = raw.split("\0");
  const entries: Entry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const fields = /^:(\d{6}) (\d{6}) [0-9a-f]+ ([0-9a-f]+) ([A-Z])\d*$/.exec(parts[i] ?? "");
    const path = parts[i + 1] ?? "";
    if (!fields || !path) continue;
    const [, , newMode, sha, status] = fields;
    if (status === "D" || newMode === GITLINK || newMode === "000000" || !sha || /^0+$/.test(sha)) continue;
    entries.push({ path, sha });
  }
  return entries;
}

export async function* readPushed(dir: string, baseSha: string, maxBlobBytes: number): AsyncGenerator<PushedObject> {
  const commits = (await git(["rev-list", `${baseSha}..HEAD`], { cwd: dir })).stdout.split("\n").filter(Boolean);
  const entries = new Map<string, Entry>();
  if (commits.length > 0) {
    // Every commit's changes in one command: the commits on stdin, their raw diffs one after another.
    const args = ["diff-tree", "--stdin", "-r", "-z", "-m", "--root", "--no-renames", "--no-commit-id", "--no-abbrev", "--no-ext-diff", "--no-textconv"];
    const raw = await git(args, { cwd: dir, input: `${commits.join("\n")}\n`, maxBuffer: BATCH_BYTES });
    for (const entry of parseRawEntries(raw.stdout)) entries.set(`${entry.sha}\0${entry.path}`, entry);
  }
  for (const [sha, raw] of await catFile(dir, commits)) yield { kind: "commit", sha, raw: raw ?? Buffer.alloc(0) };

  const files = [...entries.values()];
  const sizes = await sizesOf(
    dir,
    files.map((f) => f.sha),
  );
  // A path with a newline cannot be named as `<rev>:<path>` on cat-file's stdin: it goes without a base (fail closed).
  const baseName = (path: string) => (path.includes("\n") ? null : `${baseSha}:${path}`);
  const baseSizes = await sizesOf(
    dir,
    files.map((f) => baseName(f.path)).filter((n): n is string => n !== null),
  );
  let batch: Entry[] = [];
  let batchBytes = 0;
  const flush = async function* (): AsyncGenerator<PushedObject> {
    const names = batch.flatMap((f) => [f.sha, ...(readableBase(f) ? [baseName(f.path) ?? ""] : [])]);
    const read = await catFile(dir, names);
    for (const f of batch) {
      const base = baseName(f.path);
      yield {
        kind: "file",
        path: f.path,
        sha: f.sha,
        size: sizes.get(f.sha) ?? 0,
        bytes: read.get(f.sha) ?? Buffer.alloc(0),
        before: base && readableBase(f) ? (read.get(base) ?? null) : null,
      };
    }
    batch = [];
    batchBytes = 0;
  };
  const readableBase = (f: Entry) => {
    const base = baseName(f.path);
    const size = base === null ? undefined : baseSizes.get(base);
    return size !== undefined && size <= maxBlobBytes;
  };
  for (const f of files) {
    const size = sizes.get(f.sha);
    if (size === undefined || size > maxBlobBytes) {
      yield { kind: "file", path: f.path, sha: f.sha, size: size ?? 0, bytes: null, before: null };
      continue;
    }
    const cost = size + (readableBase(f) ? (baseSizes.get(baseName(f.path) ?? "") ?? 0) : 0);
    if (batch.length > 0 && batchBytes + cost > BATCH_BYTES) yield* flush();
    batch.push(f);
    batchBytes += cost;
  }
  if (batch.length > 0) yield* flush();
}

/** Sizes of the named objects that exist (`git cat-file --batch-check`). */
async function sizesOf(dir: string, names: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (names.length === 0) return sizes;
  const out = await git(["cat-file", "--batch-check=%(objectsize)"], { cwd: dir, input: `${names.join("\n")}\n` });
  out.stdout.split("\n").forEach((line, i) => {
    const name = names[i];
    if (name !== undefined && /^\d+$/.test(line)) sizes.set(name, Number(line));
  });
  return sizes;
}

/** The named objects' contents (`git cat-file --batch`); a missing one is absent from the map. */
async function catFile(dir: string, names: readonly string[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (names.length === 0) return found;
  const input = `${names.join("\n")}\n`;
  const { stdout: out } = await gitBytes(["cat-file", "--batch"], { cwd: dir, input, maxBuffer: 2 * BATCH_BYTES + 256 * 1024 * 1024 });
  let at = 0;
  for (const name of names) {
    const eol = out.indexOf(0x0a, at);
    if (eol === -1) break;
    const header = out.subarray(at, eol).toString("latin1");
    at = eol + 1;
    const size = /^[0-9a-f]+ \w+ (\d+)$/.exec(header)?.[1];
    if (size === undefined) continue; // "<name> missing"
    found.set(name, Buffer.from(out.subarray(at, at + Number(size))));
    at += Number(size) + 1;
  }
  return found;
}
