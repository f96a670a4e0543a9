import { WorkspaceError } from "./errors.ts";
import { git, GitError, type GitAuth } from "./git.ts";
import type { ChangedFile, ChangeStatus, WorkspaceDiff } from "./port.ts";

/**
 * What the task branch changes against the base: the unified diff, the
 * changed paths (renames split into delete + add, so a denied-path check sees
 * both sides), which of them are binary, and the commit messages that would be
 * pushed. The caller runs the secret scan and the denied-paths check on this
 * before pushing. External diff drivers and textconv never run.
 */

const STATUS: Record<string, ChangeStatus> = { A: "added", M: "modified", D: "deleted", T: "type_changed" };
const MAX_PATCH_BYTES = 100 * 1024 * 1024;
// Tree against tree: nothing in the worktree is read. Submodule links show as links (`short`), never entered.
const COMMON = ["--no-renames", "--no-ext-diff", "--no-textconv", "--no-color", "--ignore-submodules=none", "--submodule=short"];

/** Pure: parses `git diff --name-status -z` and `git diff --numstat -z` output. */
export function parseChanges(nameStatus: string, numstat: string): ChangedFile[] {
  const binary = new Set<string>();
  for (const record of numstat.split("\0")) {
    const match = /^(-|\d+)\t(-|\d+)\t(.+)$/s.exec(record);
    if (match?.[1] === "-" && match[3]) binary.add(match[3]);
  }
  const parts = nameStatus.split("\0");
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i]?.[0] ?? "";
    const path = parts[i + 1] ?? "";
    if (path) files.push({ path, status: STATUS[code] ?? "modified", binary: binary.has(path) });
  }
  return files;
}

export async function diffAgainstBase(dir: string, baseSha: string, auth: GitAuth): Promise<WorkspaceDiff> {
  const range = [baseSha, "HEAD"];
  try {
    // The patch first: in a partial clone it fetches the missing blobs once for the others.
    const patch = await git(["diff", ...COMMON, ...range], { cwd: dir, auth, maxBuffer: MAX_PATCH_BYTES });
    const [nameStatus, numstat, log] = await Promise.all([
      git(["diff", ...COMMON, "--name-status", "-z", ...range], { cwd: dir, auth }),
      git(["diff", ...COMMON, "--numstat", "-z", ...range], { cwd: dir, auth }),
      git(["log", "--format=%B%x00", `${baseSha}..HEAD`], { cwd: dir }),
    ]);
    const commitMessages = log.stdout
      .split("\0")
      .map((m) => m.trim())
      .filter(Boolean);
    return { patch: patch.stdout, files: parseChanges(nameStatus.stdout, numstat.stdout), commitMessages };
  } catch (error) {
    if (error instanceof GitError && /maxBuffer/i.test(error.message)) {
      throw new WorkspaceError("git_failed", "The change is larger than 100 MB", "Ask for a smaller change.", { cause: error });
    }
    throw error;
  }
}
