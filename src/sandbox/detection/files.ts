import { readdir } from "node:fs/promises";
import { inspectRepoPath, readRepoText } from "../../security/safe-read.ts";

/**
 * How detection looks at a working copy: file contents only through
 * safe-read.ts (regular files inside the tree, at most MAX_MANIFEST_BYTES,
 * with a deadline: a FIFO or a link to /dev/zero counts as absent), and
 * directory listings only of real directories inside the tree.
 */

export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** One way to set up and test a repository, and the ecosystem it belongs to (to match what CI runs). */
export interface Candidate {
  family: Family;
  setup: string | null;
  test: string;
  reason: string;
}

export type Family = "node" | "deno" | "python" | "php" | "go" | "rust" | "make" | "maven" | "gradle";

/** Whether a regular file or directory is at `name` inside the tree (never through a link out of it). */
export const exists = async (dir: string, name: string): Promise<boolean> => (await inspectRepoPath(dir, name)).ok;

export const read = (dir: string, name: string, maxBytes = MAX_MANIFEST_BYTES) => readRepoText(dir, name, { maxBytes, whole: true });

/** Names in a directory of the tree (never through a link out of it); [] when it is not one. */
export async function list(dir: string, name: string): Promise<string[]> {
  const entry = await inspectRepoPath(dir, name);
  if (!entry.ok || entry.kind !== "directory") return [];
  return readdir(entry.real).catch(() => []);
}

/** JSON with comments and trailing commas (deno.jsonc, tsconfig-style), or null. */
export function parseJsonc(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
  } catch {
    return null;
  }
}

/** The body of a TOML table (`[name]` up to the next table header), or null. Enough for keys detection needs. */
export function tomlTable(text: string, name: string): string | null {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === `[${name}]`);
  if (start === -1) return null;
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  return lines.slice(start + 1, end === -1 ? undefined : end).join("\n");
}
