import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { DEFAULT_DENY_PATHS } from "./default-deny-paths.ts";

/**
 * Path confinement for the agent's tools: every path the model names is
 * resolved inside the task's working copy or refused with a reason the model
 * can read. Refused: absolute paths outside the root, `..` escapes, any
 * symbolic link (at any component) that resolves outside the root or dangles,
 * anything under a `.git` directory, and, for writes, paths matching a denied
 * glob (`deny_paths`, default DEFAULT_DENY_PATHS: the files that define CI). Links are checked with
 * the realpath of the deepest existing ancestor, so paths that do not exist yet
 * (a file about to be written) are confined too.
 */

export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PathError";
  }
}

export interface ConfinedPath {
  /** Absolute path inside the root (lexical, not link-resolved). */
  abs: string;
  /** Path relative to the root, with forward slashes; "" for the root itself. */
  rel: string;
  /** The link-resolved path (of the deepest existing ancestor, plus the missing rest): inside the root's real path. */
  real: string;
  /** The root's real path. */
  rootReal: string;
}

export interface ConfineOptions {
  /** The path will be written: deny globs apply. */
  write?: boolean;
  /** Glob patterns (picomatch, relative to the root) that may never be written. */
  denyPaths?: readonly string[];
  /** Paths under `.git` are allowed: only for files the app itself names (e.g. `.git/info/exclude`), never the model's paths. */
  allowGit?: boolean;
}

export { DEFAULT_DENY_PATHS };

const toPosix = (p: string): string => p.split(sep).join("/");

/** `p` relative to `root` (forward slashes; "" for the root), or null when it is not inside. */
export const inside = (root: string, p: string): string | null => {
  const rel = relative(root, p);
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return toPosix(rel);
};

const touchesGit = (rel: string): boolean => rel.split("/").some((part) => part.toLowerCase() === ".git");

/** The realpath of `p`, or of its deepest existing ancestor (with the missing rest appended). */
async function realpathOfDeepest(p: string, display: string): Promise<string> {
  let current = p;
  let rest = "";
  for (;;) {
    try {
      const real = await realpath(current);
      return rest === "" ? real : resolve(real, rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new PathError(`cannot resolve ${display}: ${code ?? String(error)}`);
      const isLink = await lstat(current).then(
        (s) => s.isSymbolicLink(),
        () => false,
      );
      if (isLink) throw new PathError(`${display} goes through a symbolic link whose target does not exist; refusing to follow it`);
      const parent = dirname(current);
      if (parent === current) throw new PathError(`cannot resolve ${display}`);
      rest = rest === "" ? relative(parent, current) : `${relative(parent, current)}${sep}${rest}`;
      current = parent;
    }
  }
}

/** Which deny rule, if any, matches a root-relative path. */
export function deniedBy(rel: string, denyPaths: readonly string[]): string | null {
  for (const rule of denyPaths) {
    if (picomatch(rule, { dot: true, nocase: true })(rel)) return rule;
  }
  return null;
}

/**
 * Resolves `input` (relative to `root`, or absolute inside it) to a confined
 * path, or throws PathError naming the reason.
 */
export async function confinePath(root: string, input: string, options: ConfineOptions = {}): Promise<ConfinedPath> {
  const raw = input.trim();
  if (raw === "") throw new PathError("the path is empty");
  if (raw.includes("\0")) throw new PathError("the path contains a NUL character");

  const rootAbs = resolve(root);
  const rootReal = await realpath(rootAbs).catch(() => {
    throw new PathError(`the working copy ${rootAbs} does not exist`);
  });
  const abs = isAbsolute(raw) ? resolve(raw) : resolve(rootAbs, raw);
  let rel = inside(rootAbs, abs);
  let lexical = abs;
  if (rel === null) {
    // An absolute path may name the root through its real path (e.g. /private/tmp vs /tmp).
    rel = inside(rootReal, abs);
    if (rel === null) throw new PathError(`${raw} is outside the working copy; use a path relative to the repository root`);
    lexical = resolve(rootAbs, rel);
  }
  if (touchesGit(rel) && !options.allowGit) throw new PathError(`${raw} is inside a .git directory, which tools may not touch`);

  const real = await realpathOfDeepest(lexical, raw);
  const realRel = inside(rootReal, real);
  if (realRel === null) throw new PathError(`${raw} resolves through a symbolic link to a place outside the working copy`);
  if (touchesGit(realRel) && !options.allowGit) throw new PathError(`${raw} resolves through a symbolic link into a .git directory`);

  if (options.write) {
    if (rel === "") throw new PathError("cannot write the repository root itself");
    const deny = options.denyPaths ?? DEFAULT_DENY_PATHS;
    for (const candidate of new Set([rel, realRel])) {
      const rule = deniedBy(candidate, deny);
      if (rule !== null) {
        throw new PathError(`writing ${candidate} is refused: it matches the denied pattern "${rule}" (deny_paths in .github/jules.yml)`);
      }
    }
  }
  return { abs: lexical, rel, real, rootReal };
}
