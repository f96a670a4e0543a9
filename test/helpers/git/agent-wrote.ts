import { parseStatus } from "../../../src/workspace/changes.ts";
import { git } from "../../../src/workspace/git.ts";
import type { Workspace } from "../../../src/workspace/port.ts";

/**
 * For tests that play the agent by writing into a workspace directly: records
 * every path that now differs from the index as written by the agent's
 * editing tools (what write_file and edit_file do after each write), so the
 * commit takes them. Paths in nested repositories are refused, as they are
 * for the tools.
 */
export async function agentWrote(ws: Workspace): Promise<void> {
  const out = await git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=all", "--no-renames"], { cwd: ws.dir });
  await ws.changes.keep(parseStatus(out.stdout).map((entry) => entry.path));
}
