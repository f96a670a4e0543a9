import { createHash } from "node:crypto";
import { lstat, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * The key of an environment: a snapshot is reused only for exactly the same
 * inputs. Pure `environmentKey` over: the repository (host/owner/name), the
 * setup command, jules.yml's `env:`, whether setup had network, the content
 * hash of every manifest and lockfile (scan.ts), the toolchain (an open
 * record: the toolchain module adds what it installed, e.g. `{ node: "22.11.0" }`),
 * the platform and FORMAT, bumped whenever what the sandbox gives setup changes
 * (its HOME path, PATH, the snapshot layout).
 */

export const FORMAT = 1;

export interface KeyInput {
  repo: string;
  setup: string;
  env: Readonly<Record<string, string>>;
  network: boolean;
  /** Path → sha256 of its content (`link:<target>` for a symbolic link). */
  manifests: Readonly<Record<string, string>>;
  toolchain: Readonly<Record<string, string>>;
}

const sorted = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Pure: 64 hex digits. */
export function environmentKey(input: KeyInput, platform = `${process.platform}-${process.arch}`): string {
  const canonical = JSON.stringify([FORMAT, platform, input.repo.toLowerCase(), input.setup, sorted(input.env), input.network, sorted(input.manifests), sorted(input.toolchain)]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** A manifest bigger than this makes the checkout not snapshotted (lockfiles reach tens of MB, not this). */
export const MANIFEST_MAX_BYTES = 64 * 1024 ** 2;

export class ManifestTooLarge extends Error {}

/** Content hashes of the manifests of a pristine checkout; a symbolic link counts as its target text, never followed. */
export async function hashManifests(root: string, paths: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const path of paths) {
    const abs = join(root, path);
    const info = await lstat(abs);
    if (info.isSymbolicLink()) hashes[path] = `link:${await readlink(abs)}`;
    else if (info.isFile()) {
      if (info.size > MANIFEST_MAX_BYTES) throw new ManifestTooLarge(`${path} is ${info.size} bytes`);
      hashes[path] = createHash("sha256")
        .update(await readFile(abs))
        .digest("hex");
    }
  }
  return hashes;
}
