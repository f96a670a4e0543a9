import { WorkspaceError } from "./errors.ts";
import { git, type GitAuth } from "./git.ts";

/**
 * The checked-out size of a commit, measured before anything is written to a
 * working copy: the mirror's size says little (a 100 KiB repository whose
 * paths all share one highly compressible blob checks out to gigabytes). The
 * tree is listed from the mirror (trees are always there: blobs are the
 * partial clone's lazy part), so the file count is known at once; the
 * commit's missing blobs are then fetched in one batch (what a checkout would
 * fetch anyway, compressed), never one by one, and `git ls-tree -l` sums the
 * sizes from local objects. Over either limit the task is refused with the
 * size, the limit and the setting that raises it.
 */

export interface CheckoutLimits {
  maxBytes: number;
  maxFiles: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2).toLocaleString("en-US")} MB`;
const BIG = 512 * 1024 * 1024;

function refuse(name: string, what: string, hint: string): WorkspaceError {
  return new WorkspaceError("repo_too_large", `${name} ${what}`, hint);
}

export async function checkCheckoutSize(mirror: string, commit: string, auth: GitAuth, ref: { owner: string; repo: string }, limits: CheckoutLimits): Promise<void> {
  const name = `${ref.owner}/${ref.repo}`;
  // Trees only: `-r` without `-l` never needs a blob.
  const tree = (await git(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd: mirror, maxBuffer: BIG })).stdout;
  const files = tree.split("\0").filter((entry) => / blob [0-9a-f]+\t/.test(entry)).length;
  if (files > limits.maxFiles) {
    throw refuse(
      name,
      `has ${files.toLocaleString("en-US")} files at ${commit.slice(0, 12)}, over this OpenJules instance's limit of ${limits.maxFiles.toLocaleString("en-US")} files in a working copy`,
      "Ask the operator to raise JULES_CHECKOUT_MAX_FILES, or use OpenJules on a smaller repository.",
    );
  }
  // `--missing=print` lists the absent blobs of this commit's tree without fetching them.
  const listed = (await git(["rev-list", "--objects", "--no-walk", "--missing=print", commit], { cwd: mirror, maxBuffer: BIG })).stdout;
  const missing = [
    ...new Set(
      listed
        .split("\n")
        .filter((line) => line.startsWith("?"))
        .map((line) => line.slice(1).trim()),
    ),
  ];
  if (missing.length > 0) {
    await git(
      ["-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "origin", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin"],
      {
        cwd: mirror,
        auth,
        input: `${missing.join("\n")}\n`,
        maxBuffer: BIG,
      },
    ).catch((error: unknown) => {
      throw new WorkspaceError(
        "fetch_failed",
        `Could not fetch the files of ${name} at ${commit.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`,
        "This is usually temporary; try again.",
      );
    });
    const still = (await git(["rev-list", "--objects", "--no-walk", "--missing=print", commit], { cwd: mirror, maxBuffer: BIG })).stdout;
    if (still.split("\n").some((line) => line.startsWith("?"))) {
      throw new WorkspaceError(
        "fetch_failed",
        `The remote did not send every file of ${name} at ${commit.slice(0, 12)}, so its size cannot be checked`,
        "This is usually temporary; try again.",
      );
    }
  }
  // Every blob is local now: `-l` reads sizes without fetching anything.
  const sized = (await git(["ls-tree", "-r", "-l", "-z", "--full-tree", commit], { cwd: mirror, maxBuffer: BIG })).stdout;
  let bytes = 0;
  for (const entry of sized.split("\0")) {
    const size = / blob [0-9a-f]+ +(\d+)\t/.exec(entry)?.[1];
    if (size) bytes += Number(size);
  }
  if (bytes > limits.maxBytes) {
    throw refuse(
      name,
      `would take ${mb(bytes)} when checked out (${files.toLocaleString("en-US")} files at ${commit.slice(0, 12)}), over this OpenJules instance's limit of ${mb(limits.maxBytes)} for a working copy`,
      "Ask the operator to raise JULES_CHECKOUT_MAX_MB, or use OpenJules on a smaller repository.",
    );
  }
}
