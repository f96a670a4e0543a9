import { readRepoFile } from "../../security/safe-read.ts";
import { MAX_MANIFEST_BYTES } from "../detection/files.ts";
import { nodeRequirement, type NodeRequirement } from "./node-declared.ts";
import { goRequirement, pythonRequirement, rustRequirement, type OtherRequirement } from "./others-declared.ts";

/**
 * The toolchain versions a working copy declares, read only through
 * safe-read (regular files inside the tree, size-capped, with a deadline: a
 * FIFO, a device, a link out of the tree or an oversized file counts as not
 * there, and is named in `ignored`). `key` is a short stable text of the Node
 * version declared (what setup installs into HOME), for the environment
 * snapshot's key: a snapshot made for another declared Node is never reused.
 */

export interface DeclaredToolchains {
  node: NodeRequirement | null;
  /** package.json's `packageManager` when it names pnpm or yarn (`pnpm@9.12.0`). */
  packageManager: string | null;
  others: OtherRequirement[];
  /** Files that were there but not used, and why. */
  ignored: string[];
  /** For the environment snapshot's key (SetupInput.toolchain): `{ node: "<declared spec>" }`, or empty. */
  key: Record<string, string>;
}

const VERSION_FILE_BYTES = 4096;

async function text(dir: string, name: string, maxBytes: number, ignored: string[]): Promise<string | null> {
  const read = await readRepoFile(dir, name, { maxBytes, whole: true });
  if (read.ok) return read.bytes.toString("utf8");
  if (read.refusal !== "missing") ignored.push(`${name} (${read.message})`);
  return null;
}

export async function declaredToolchains(dir: string): Promise<DeclaredToolchains> {
  const ignored: string[] = [];
  const nvmrc = await text(dir, ".nvmrc", VERSION_FILE_BYTES, ignored);
  const nodeVersion = await text(dir, ".node-version", VERSION_FILE_BYTES, ignored);
  const packageJson = await text(dir, "package.json", MAX_MANIFEST_BYTES, ignored);
  const node = nodeRequirement({ nvmrc, nodeVersion, packageJson });
  ignored.push(...node.ignored);
  const others: OtherRequirement[] = [];
  const pyproject = await text(dir, "pyproject.toml", MAX_MANIFEST_BYTES, ignored);
  const python = pyproject === null ? null : pythonRequirement(pyproject);
  if (python) others.push(python);
  const gomod = await text(dir, "go.mod", MAX_MANIFEST_BYTES, ignored);
  const go = gomod === null ? null : goRequirement(gomod);
  if (go) others.push(go);
  for (const file of ["rust-toolchain.toml", "rust-toolchain"]) {
    const content = await text(dir, file, 64 * 1024, ignored);
    const rust = content === null ? null : rustRequirement(content, file);
    if (rust) {
      others.push(rust);
      break;
    }
  }
  const key: Record<string, string> = node.requirement ? { node: node.requirement.spec } : {};
  return { node: node.requirement, packageManager: node.packageManager, others, ignored, key };
}
