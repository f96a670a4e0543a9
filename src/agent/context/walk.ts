import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import { readIgnoreFile } from "../tools/gitignore.ts";

/**
 * One walk over a working copy, listing the files the repository map may
 * show: git-ignored paths are left out as git does (root, nested and
 * `.git/info/exclude` rules; a deeper rule wins; an ignored directory is not
 * entered), and so are `.git`, dependency and cache directories
 * (`node_modules`, `__pycache__`, virtualenvs, ...), vendored trees (`vendor/`,
 * `third_party/`, ...: reported so the map can mention them), symbolic links
 * (never followed), special files (FIFOs, sockets, devices) and binary files
 * by extension. Rule files are read like every repository file
 * (safe-read.ts): regular files only, never through a link, capped. The walk stops at
 * `maxFiles` so even a huge monorepo costs a bounded amount of work.
 */

export const DEFAULT_MAX_WALK_FILES = 100_000;

const DEPENDENCY_DIRS = new Set([
  ".git",
  "node_modules",
  "bower_components",
  "jspm_packages",
  "__pycache__",
  ".venv",
  "venv",
  ".tox",
  ".nox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".gradle",
  ".next",
  ".nuxt",
  ".svelte-kit",
  ".terraform",
  ".yarn",
  ".pnpm-store",
]);
const VENDORED_DIRS = new Set(["vendor", "vendors", "third_party", "third-party", "thirdparty", "Pods", "Carthage"]);
const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico icns webp avif tif tiff psd heic mp3 mp4 m4a mov avi mkv webm wav flac ogg opus " +
    "zip tar gz tgz bz2 xz zst 7z rar jar war ear class dll so dylib a o obj lib exe bin wasm pyc pyo whl egg " +
    "pdf doc docx xls xlsx ppt pptx odt ttf otf woff woff2 eot sqlite sqlite3 db lockb node dmg iso img"
  ).split(" "),
);

export interface RepoWalk {
  /** Root-relative paths with forward slashes. */
  files: string[];
  /** Vendored or dependency directories that exist, are not git-ignored, and were not entered. */
  skippedDirs: string[];
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
}

interface Rules {
  base: string;
  matcher: Ignore;
}

function isBinaryName(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot > 0 && BINARY_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Git's verdict for a path: the deepest rule file with an opinion decides. */
function isIgnored(path: string, isDir: boolean, rules: readonly Rules[]): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { base, matcher } = rules[i] as Rules;
    const rel = base === "" ? path : path.slice(base.length + 1);
    const verdict = matcher.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

export async function walkRepository(root: string, maxFiles = DEFAULT_MAX_WALK_FILES): Promise<RepoWalk> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`the repository directory ${root} does not exist or is not a directory`);
  const files: string[] = [];
  const skippedDirs: string[] = [];
  const exclude = await readIgnoreFile(root, ".git/info/exclude");
  const rootRules: Rules[] = exclude ? [{ base: "", matcher: ignore({ ignorecase: false }).add(exclude) }] : [];
  const stack: { dir: string; rules: Rules[] }[] = [{ dir: "", rules: rootRules }];

  while (stack.length > 0) {
    const { dir, rules: inherited } = stack.pop() as { dir: string; rules: Rules[] };
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      continue; // unreadable directory: nothing to list
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let rules = inherited;
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      const text = await readIgnoreFile(root, dir === "" ? ".gitignore" : `${dir}/.gitignore`);
      if (text) rules = [...inherited, { base: dir, matcher: ignore({ ignorecase: false }).add(text) }];
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      // `.git` is skipped as a directory and as the file a worktree (or a nested checkout) has in its place.
      if (entry.isDirectory()) {
        if (entry.name === ".git" || isIgnored(path, true, rules)) continue;
        if (DEPENDENCY_DIRS.has(entry.name) || VENDORED_DIRS.has(entry.name)) skippedDirs.push(`${path}/`);
        else subdirs.push(path);
      } else if (entry.isFile() && entry.name !== ".git" && !isBinaryName(entry.name) && !isIgnored(path, false, rules)) {
        if (files.length >= maxFiles) return { files, skippedDirs, truncated: true };
        files.push(path);
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i] as string, rules });
  }
  return { files, skippedDirs, truncated: false };
}
