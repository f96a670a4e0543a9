import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { WorkspaceError } from "./errors.ts";
import { git, type GitAuth } from "./git.ts";

/**
 * The checked-out size of a commit, measured before anything is written to a
 * working copy: the mirror's size says little (a 100 KiB repository whose
 * paths all share one highly compressible blob checks out to gigabytes). One
 * `git ls-tree -r -l` lists every file of the commit with its size, read from
 * the mirror's own objects (a mirror holds every blob of the commits it
 * fetched). Over either limit the task is refused with the size, the limit
 * and the setting that raises it. A mirror made as a partial clone by an
 * older version first has the commit's missing blobs fetched in one batch,
 * never one by one (after its file count is checked from the trees alone).
 */

export interface CheckoutLimits {
  maxBytes: number;
  maxFiles: number;
}

interface Named {
  owner: string;
  repo: string;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2).toLocaleString("en-US")} MB`;
const count = (n: number) => n.toLocaleString("en-US");
const BIG = 512 * 1024 * 1024;
const FETCH_HINT = "This is usually temporary; try again.";

function tooManyFiles(ref: Named, files: number, commit: string, limits: CheckoutLimits): WorkspaceError {
  return new WorkspaceError(
    "repo_too_large",
    `${ref.owner}/${ref.repo} has ${count(files)} files at ${commit.slice(0, 12)}, over this OpenJules instance's limit of ${count(limits.maxFiles)} files in a working copy`,
    "Ask the operator to raise JULES_CHECKOUT_MAX_FILES, or use OpenJules on a smaller repository.",
  );
}

/** A mirror made as a partial clone (by versions before the tip-only mirror): its config names a promisor remote. */
async function isPartial(mirror: string): Promise<boolean> {
  const config = await readFile(join(mirror, "config"), "utf8").catch(() => "");
  return /^\s*partialclone\s*=/im.test(config);
}

const missingBlobs = async (mirror: string, commit: string) => {
  // `--missing=print` lists the absent objects of this commit's tree without fetching them.
  const listed = (await git(["rev-list", "--objects", "--no-walk", "--missing=print", commit], { cwd: mirror, maxBuffer: BIG })).stdout;
  return [
    ...new Set(
      listed
        .split("\n")
        .filter((line) => line.startsWith("?"))
        .map((line) => line.slice(1).trim()),
    ),
  ];
};

/** Partial mirrors only: checks the file count from the trees, then fetches the commit's missing blobs in one request. */
async function fetchMissingBlobs(mirror: string, commit: string, auth: GitAuth, ref: Named, limits: CheckoutLimits): Promise<void> {
  // Trees only: `-r` without `-l` never needs a blob.
  const tree = (await git(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd: mirror, maxBuffer: BIG })).stdout;
  const files = tree.split("\0").filter((entry) => / blob [0-9a-f]+\t/.test(entry)).length;
  if (files > limits.maxFiles) throw tooManyFiles(ref, files, commit, limits);
  const missing = await missingBlobs(mirror, commit);
  if (missing.length === 0) return;
  const fetch = [
    "-c",
    "fetch.negotiationAlgorithm=noop",
    "fetch",
    "--quiet",
    "origin",
    "--no-tags",
    "--no-write-fetch-head",
    "--recurse-submodules=no",
    "--filter=blob:none",
    "--stdin",
  ];
  await git(fetch, { cwd: mirror, auth, input: `${missing.join("\n")}\n`, maxBuffer: BIG }).catch((error: unknown) => {
    throw new WorkspaceError(
      "fetch_failed",
      `Could not fetch the files of ${ref.owner}/${ref.repo} at ${commit.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`,
      FETCH_HINT,
    );
  });
  if ((await missingBlobs(mirror, commit)).length > 0) {
    throw new WorkspaceError("fetch_failed", `The remote did not send every file of ${ref.owner}/${ref.repo} at ${commit.slice(0, 12)}, so its size cannot be checked`, FETCH_HINT);
  }
}

/** Pure: the file count and total size of `git ls-tree -r -l -z` output (blobs only: links to submodules carry no files). */
export function sumListing(listing: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of listing.split("\0")) {
    const size = / blob [0-9a-f]+ +(\d+)\t/.exec(entry)?.[1];
    if (size === undefined) continue;
    files += 1;
    bytes += Number(size);
  }
  return { files, bytes };
}

export async function checkCheckoutSize(mirror: string, commit: string, auth: GitAuth, ref: Named, limits: CheckoutLimits): Promise<void> {
  if (await isPartial(mirror)) await fetchMissingBlobs(mirror, commit, auth, ref, limits);
  // Every blob is local: `-l` reads sizes from the mirror's objects.
  const { files, bytes } = sumListing((await git(["ls-tree", "-r", "-l", "-z", "--full-tree", commit], { cwd: mirror, maxBuffer: BIG })).stdout);
  if (files > limits.maxFiles) throw tooManyFiles(ref, files, commit, limits);
  if (bytes > limits.maxBytes) {
    throw new WorkspaceError(
      "repo_too_large",
      `${ref.owner}/${ref.repo} would take ${mb(bytes)} when checked out (${count(files)} files at ${commit.slice(0, 12)}), over this OpenJules instance's limit of ${mb(limits.maxBytes)} for a working copy`,
      "Ask the operator to raise JULES_CHECKOUT_MAX_MB, or use OpenJules on a smaller repository.",
    );
  }
}
