import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DEPENDENCY_FOLDERS, DISPOSABLE, GIT_ENTRY, isManifest } from "./ecosystems.ts";

/**
 * The two walks of a working copy around setup, neither following a symbolic
 * link nor entering `.git`. Before setup (a pristine checkout): every path
 * there, and the manifests among them (the key's input). After setup: what
 * setup created, found by descending only into directories that were there
 * before, so an installed node_modules is named, not walked.
 */

export interface Checkout {
  /** Every path of the checkout (files, directories, links), relative, `/`-separated. */
  paths: Set<string>;
  /** The manifests and lockfiles among them, sorted. */
  manifests: string[];
}

export interface Created {
  /** Dependency folders setup created: what the snapshot keeps of the working copy. */
  dependencies: string[];
  /** Anything else setup created (a build output, a copied config): not kept; reusing then means running setup again. */
  other: string[];
}

/** A checkout bigger than this is not snapshotted (the walks would cost more than they save). */
export const MAX_SCANNED = 600_000;

export class TooManyFiles extends Error {}

const rel = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);

/** Lists a pristine checkout; throws TooManyFiles past `max` entries. */
export async function scanCheckout(root: string, max = MAX_SCANNED): Promise<Checkout> {
  const paths = new Set<string>();
  const manifests: string[] = [];
  const walk = async (dir: string, inDependencies: boolean): Promise<void> => {
    const entries = await readdir(join(root, dir), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name === GIT_ENTRY) continue;
      const path = rel(dir, entry.name);
      paths.add(path);
      if (paths.size > max) throw new TooManyFiles(`more than ${max} files`);
      if (entry.isDirectory()) await walk(path, inDependencies || DEPENDENCY_FOLDERS.has(entry.name));
      else if (!inDependencies && (entry.isFile() || entry.isSymbolicLink()) && isManifest(entry.name, dir)) manifests.push(path);
    }
  };
  await walk("", false);
  return { paths, manifests: manifests.sort() };
}

/** What setup created in `root` since `before` was taken. */
export async function createdBySetup(root: string, before: ReadonlySet<string>): Promise<Created> {
  const dependencies: string[] = [];
  const other: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name === GIT_ENTRY) continue;
      const path = rel(dir, entry.name);
      if (before.has(path)) {
        if (entry.isDirectory()) await walk(path);
      } else if (DEPENDENCY_FOLDERS.has(entry.name) && entry.isDirectory()) dependencies.push(path);
      else if (!DISPOSABLE.has(entry.name)) other.push(entry.isDirectory() ? `${path}/` : path);
    }
  };
  await walk("");
  return { dependencies: dependencies.sort(), other: other.sort() };
}
