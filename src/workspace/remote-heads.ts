import { fetchFailed } from "./errors.ts";
import { git, type GitAuth } from "./git.ts";

/**
 * What the remote has, in one request before anything is fetched: its default
 * branch (HEAD's symref) and the tips of the branches a task names. The mirror
 * then fetches exactly those branches, and nothing at all when its copies are
 * already at these tips.
 */

export interface RemoteHeads {
  /** The branch HEAD points to, or null for an empty repository. */
  defaultBranch: string | null;
  /** Branch name → tip commit, for the branches asked for (and the default branch) that exist. */
  tips: Map<string, string>;
}

/** Pure: parses `git ls-remote --symref` output. */
export function parseLsRemote(stdout: string): RemoteHeads {
  let defaultBranch: string | null = null;
  const tips = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
    if (symref?.[1]) defaultBranch = symref[1];
    const head = /^([0-9a-f]{40,64})\trefs\/heads\/(\S+)$/.exec(line);
    if (head?.[1] && head[2]) tips.set(head[2], head[1]);
  }
  return { defaultBranch, tips };
}

/** Asks the remote for HEAD and the named branches (`cwd`: any directory; the URL is given explicitly). */
export async function remoteHeads(cwd: string, auth: GitAuth, branches: readonly string[], timeoutMs?: number): Promise<RemoteHeads> {
  const patterns = ["HEAD", ...branches.map((b) => `refs/heads/${b}`)];
  try {
    const { stdout } = await git(["ls-remote", "--symref", auth.remoteUrl, ...patterns], { cwd, auth, ...(timeoutMs ? { timeoutMs } : {}) });
    const heads = parseLsRemote(stdout);
    // Patterns match tails (`refs/heads/x/main` matches `main`): keep exact names only, which the parser did.
    if (!heads.defaultBranch) return heads;
    if (!heads.tips.has(heads.defaultBranch) && !branches.includes(heads.defaultBranch)) {
      // HEAD's own line names its commit; only the named-branch lines are asked for explicitly.
      const sha = /^([0-9a-f]{40,64})\tHEAD$/m.exec(stdout)?.[1];
      if (sha) heads.tips.set(heads.defaultBranch, sha);
    }
    return heads;
  } catch (error) {
    throw fetchFailed("Could not list the branches of the repository", error);
  }
}
