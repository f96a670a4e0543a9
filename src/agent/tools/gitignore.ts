import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import ignore, { type Ignore } from "ignore";
import { glob } from "tinyglobby";

/**
 * Lists a working copy's files the way git sees them: tinyglobby walks the
 * tree (never into `.git`, never through symlinked directories) and the
 * `ignore` package applies every `.gitignore` (root, nested, and
 * `.git/info/exclude`), deeper files taking precedence as in git. Plain
 * directory rules of the root `.gitignore` (`node_modules/`, `/dist`) are also
 * handed to tinyglobby so ignored trees are not walked at all.
 */

const SIMPLE_DIR = /^(\/?)([\w.-]+)\/?$/;

/** Glob patterns that prune plain directory rules; none when the file re-includes anything. */
export function pruneGlobs(gitignoreText: string): string[] {
  const lines = gitignoreText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.some((l) => l.startsWith("!"))) return [];
  const globs: string[] = [];
  for (const line of lines) {
    const m = SIMPLE_DIR.exec(line);
    if (m?.[2] && m[2] !== "." && m[2] !== "..") globs.push(m[1] ? `${m[2]}/**` : `**/${m[2]}/**`);
  }
  return globs;
}

const readText = (path: string) => readFile(path, "utf8").catch(() => "");

export interface RepoFiles {
  /** Sorted root-relative paths (forward slashes). */
  files: string[];
}

/** Files matching `patterns` (relative to root), minus git-ignored ones. */
export async function listRepoFiles(root: string, patterns: string[]): Promise<RepoFiles> {
  const rootRules = `${await readText(join(root, ".gitignore"))}\n${await readText(join(root, ".git", "info", "exclude"))}`;
  const skip = ["**/.git/**", ".git/**", ...pruneGlobs(rootRules)];
  const options = { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, expandDirectories: false, ignore: skip };
  const [found, ignoreFiles] = await Promise.all([glob(patterns, options), glob(["**/.gitignore"], options)]);

  const rules = new Map<string, Ignore>([["", ignore().add(rootRules)]]);
  for (const file of ignoreFiles) {
    const dir = posix.dirname(file);
    if (dir !== ".") rules.set(dir, ignore().add(await readText(join(root, file))));
  }
  const files = found.filter((file) => !isIgnored(file, rules)).sort();
  return { files };
}

function isIgnored(file: string, rules: Map<string, Ignore>): boolean {
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
