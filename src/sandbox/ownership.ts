import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";

/**
 * When OpenJules runs as root, the sandbox runs as an unprivileged host uid
 * (see runner.ts). That uid must own the working copy and HOME to write them,
 * and must be able to traverse every parent directory so bwrap can mount them.
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

/** Throws unless uid:gid can search every directory above `path`. */
export async function assertReachable(path: string, uid: number, gid: number): Promise<void> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const bit = info.uid === uid ? 0o100 : info.gid === gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new SandboxSetupError(
        `The sandbox user (uid ${uid}) cannot reach ${path}: ${dir} is not searchable by it. Make every parent directory of the data directory searchable (chmod o+x ${dir}), or run OpenJules as a non-root user.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}
