import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";

/**
 * When OpenJules runs as root, the sandbox runs as an unprivileged host uid
 * (see runner.ts). That uid must own the working copy and HOME to write them,
 * and bwrap (run as that uid) must be able to traverse every parent directory
 * to mount them; stage.ts makes unreachable ones reachable.
 * Only entries not yet owned by it are changed (chown updates ctime, which
 * would make git re-read every file), never following symlinks.
 */

const run = promisify(execFile);

export class SandboxSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxSetupError";
  }
}

/** Gives `paths` (recursively) to uid:gid. */
export async function handOver(paths: string[], uid: number, gid: number): Promise<void> {
  for (const path of paths) {
    await run("find", [path, "(", "!", "-user", String(uid), "-o", "!", "-group", String(gid), ")", "-exec", "chown", "-h", `${uid}:${gid}`, "--", "{}", "+"], {
      maxBuffer: 16 * 1024 * 1024,
    });
  }
}

/**
 * The first directory above `path` that uid:gid cannot search (by its mode
 * bits), or null when it reaches `path` (or a parent does not exist: bwrap
 * then says so itself). stage.ts makes such a path reachable.
 */
export async function blockingParent(path: string, uid: number, gid: number): Promise<string | null> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
      throw error;
    });
    if (!info) return null;
    const bit = info.uid === uid ? 0o100 : info.gid === gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return dir;
    if (dir === dirname(dir)) return null;
  }
}
