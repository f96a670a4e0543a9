import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, posix } from "node:path";
import ignore, { type Ignore } from "ignore";
import { glob } from "tinyglobby";
import { inspectRepoPath, readRepoText } from "../../security/safe-read.ts";

/**
 * Lists a working copy's files the way git sees them: tinyglobby walks the
 * tree (never into `.git`, never through symlinked directories) and the
 * `ignore` package applies every `.gitignore` (root, nested, and
 * `.git/info/exclude`), deeper files taking precedence as in git. Plain
 * directory rules of the root `.gitignore` (`node_modules/`, `/dist`) are also
 * handed to tinyglobby so ignored trees are not walked at all. Rule files
 * are read through safe-read.ts as git reads them: regular files only, never
 * through a symbolic link (a `.gitignore` that is a FIFO or a link to
 * /dev/zero counts as empty), at most MAX_IGNORE_BYTES.
 */

export const MAX_IGNORE_BYTES = 1_000_000;

/** The text of an ignore file, or "" when it is missing, not a regular file, a link, or too large. */
export async function readIgnoreFile(root: string, rel: string): Promise<string> {
  const options = { maxBytes: MAX_IGNORE_BYTES, whole: true, links: "refuse", allowGit: rel.startsWith(".git/") } as const;
  return (await readRepoText(root, rel, options)) ?? "";
}

const SIMPLE_DIR = /^(\/?)([\w.-]+)\/?$/;

/** Glob patterns that prune plain directory rules; none when the file re-includes anything. */
export function pruneGlobs(gitignoreText: string): string[] {
  const lines = gitignoreText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.some((l) => l.startsWith("!"))) return [];
  const globs: string[] = [];
  for (const line of lines) {
    const m = SIMPLE_DIR.exec(line);
    if (m?.[2] && m[2] !== "." && m[2] !== "..") globs.push(m[1] ? `${m[2]}/**` : `**/${m[2]}/**`);
  }
  return globs;
}

export interface RepoFiles {
  /** Sorted root-relative paths (forward slashes). */
  files: string[];
}

/** Files matching `patterns` (relative to root), minus git-ignored ones. */
export async function listRepoFiles(root: string, patterns: string[]): Promise<RepoFiles> {
  const rootRules = `${await readIgnoreFile(root, ".gitignore")}\n${await readIgnoreFile(root, ".git/info/exclude")}`;
  const skip = ["**/.git/**", ".git/**", ...pruneGlobs(rootRules)];
  const options = { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, expandDirectories: false, ignore: skip };
  const [found, ignoreFiles] = await Promise.all([glob(patterns, options), glob(["**/.gitignore"], options)]);

  const rules = new Map<string, Ignore>([["", ignore().add(rootRules)]]);
  for (const file of ignoreFiles) {
    const dir = posix.dirname(file);
    if (dir !== ".") rules.set(dir, ignore().add(await readIgnoreFile(root, file)));
  }
  const files = found.filter((file) => !isIgnored(file, rules)).sort();
  return { files };
}

/** Git's verdict on a root-relative file, given rules per directory ("" for the root). */
export function isIgnored(file: string, rules: ReadonlyMap<string, Ignore>): boolean {
  let ignored = false;
  const parts = file.split("/");
  for (let depth = 0; depth < parts.length; depth++) {
    const dir = parts.slice(0, depth).join("/");
    const rule = rules.get(dir);
    if (!rule) continue;
    const result = rule.test(parts.slice(depth).join("/"));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

export interface IgnoreFileScan {
  /** Ignore files that are regular files of a readable size (root-relative). */
  safe: string[];
  /** Ignore files that are not (a FIFO, a link, a device, too large), each with what it is. */
  unsafe: string[];
}

/**
 * Every file named one of `names` in the tree (not under `.git`, not through
 * linked directories), sorted into those a reader may open and those it must
 * not: what ripgrep would read before it searches.
 */
export async function scanIgnoreFiles(root: string, names: readonly string[], maxEntries = 1_000_000): Promise<IgnoreFileScan> {
  const safe: string[] = [];
  const unsafe: string[] = [];
  const stack = [""];
  let seen = 0;
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    const entries: Dirent[] = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++seen > maxEntries) {
        unsafe.push(`the tree has over ${maxEntries} entries`);
        return { safe, unsafe };
      }
      const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== ".git") stack.push(rel);
      } else if (names.includes(entry.name)) {
        const found = entry.isSymbolicLink() ? null : await inspectRepoPath(root, rel, { links: "refuse" });
        if (found?.ok && found.kind === "file" && found.size <= MAX_IGNORE_BYTES) safe.push(rel);
        else unsafe.push(found === null ? `${rel} is a symbolic link` : found.ok ? `${rel} is too large` : found.message);
      }
    }
  }
  return { safe, unsafe };
}

/** Rules per directory from the given ignore files (read safely; several in one directory are combined in order). */
export async function rulesFrom(root: string, files: readonly string[]): Promise<Map<string, Ignore>> {
  const rules = new Map<string, Ignore>();
  for (const file of files) {
    const dir = posix.dirname(file) === "." ? "" : posix.dirname(file);
    rules.set(dir, (rules.get(dir) ?? ignore()).add(await readIgnoreFile(root, file)));
  }
  return rules;
}
