import { constants } from "node:fs";
import { access, chmod, lstat, mkdir } from "node:fs/promises";
import { blockingParent, SandboxSetupError } from "./ownership.ts";
import type { BwrapCommand } from "./bubblewrap.ts";
import { errorMessage } from "../domain/error-message.ts";

/**
 * Makes a sandbox work wherever the data directory is. When the app runs as
 * root, bwrap runs as the unprivileged sandbox uid (after setpriv), and bwrap
 * resolves every bind source by path as that uid: a working copy under /root
 * (0700), a 0700 home or a `mktemp -d` directory cannot be found ("Can't
 * find source path … Permission denied"). bwrap 0.8's --bind-fd does not
 * help: it resolves the fd's /proc link back to the same path with realpath.
 *
 * So a command whose bind sources the sandbox uid cannot reach is "staged":
 * still as root, it enters a private mount namespace (unshare --mount, which
 * needs CAP_SYS_ADMIN), mounts a small tmpfs (0711) on a mount point the
 * sandbox uid can reach (`/run/openjules-stage`, created 0711 root-owned),
 * bind-mounts each unreachable source onto an entry of it, and only then
 * execs setpriv and bwrap, whose bind sources are rewritten to those
 * entries. Nothing changes on the host: the mounts exist only in that
 * command's mount namespace and die with it; bwrap then pivots away from all
 * of it, so the sandbox sees exactly the same mounts as without staging.
 * Where staging is impossible (root without CAP_SYS_ADMIN, as in a default
 * container), detect.ts says why, and the start-up check and `openjules
 * doctor` (reach.ts) say what to do.
 */

export type StageHost = { ok: true; mountPoint: string; unsharePath: string; mountPath: string } | { ok: false; reason: string };

const CANDIDATE_PARENTS = ["/run", "/var/tmp", "/tmp"];
const STAGE_NAME = "openjules-stage";

/** `sh -c STAGE sh <mount binary> <mount point> <n> <source>... <command...>`: stages each source at <mount point>/<i>, then execs the command (fails closed). */
export const STAGE_SCRIPT = [
  "m=$1; mp=$2; n=$3; shift 3; i=0",
  '"$m" -t tmpfs -o mode=0711,size=1m,nosuid,nodev openjules-stage "$mp" || { echo "openjules: cannot mount the staging tmpfs on $mp" >&2; exit 125; }',
  'while [ "$i" -lt "$n" ]; do { if [ -d "$1" ]; then mkdir "$mp/$i"; else : > "$mp/$i"; fi && "$m" --bind "$1" "$mp/$i"; } || { echo "openjules: cannot stage $1 for the sandbox" >&2; exit 125; }; shift; i=$((i+1)); done',
  'exec "$@"',
].join("\n");

/** Arity of every bwrap option (0.8): a value after an option is never mistaken for an option (an env value may be "--bind"). */
const ARITY: Record<string, number> = {
  "--unshare-all": 0,
  "--share-net": 0,
  "--unshare-user": 0,
  "--unshare-user-try": 0,
  "--unshare-ipc": 0,
  "--unshare-pid": 0,
  "--unshare-net": 0,
  "--unshare-uts": 0,
  "--unshare-cgroup": 0,
  "--unshare-cgroup-try": 0,
  "--disable-userns": 0,
  "--assert-userns-disabled": 0,
  "--clearenv": 0,
  "--new-session": 0,
  "--die-with-parent": 0,
  "--as-pid-1": 0,
  "--args": 1,
  "--userns": 1,
  "--userns2": 1,
  "--pidns": 1,
  "--uid": 1,
  "--gid": 1,
  "--hostname": 1,
  "--chdir": 1,
  "--unsetenv": 1,
  "--lock-file": 1,
  "--sync-fd": 1,
  "--remount-ro": 1,
  "--exec-label": 1,
  "--file-label": 1,
  "--proc": 1,
  "--dev": 1,
  "--tmpfs": 1,
  "--mqueue": 1,
  "--dir": 1,
  "--seccomp": 1,
  "--add-seccomp-fd": 1,
  "--block-fd": 1,
  "--userns-block-fd": 1,
  "--info-fd": 1,
  "--json-status-fd": 1,
  "--cap-add": 1,
  "--cap-drop": 1,
  "--perms": 1,
  "--size": 1,
  "--setenv": 2,
  "--bind": 2,
  "--bind-try": 2,
  "--dev-bind": 2,
  "--dev-bind-try": 2,
  "--ro-bind": 2,
  "--ro-bind-try": 2,
  "--bind-fd": 2,
  "--ro-bind-fd": 2,
  "--file": 2,
  "--bind-data": 2,
  "--ro-bind-data": 2,
  "--symlink": 2,
  "--chmod": 2,
};
const PATH_BINDS = new Set(["--bind", "--bind-try", "--dev-bind", "--dev-bind-try", "--ro-bind", "--ro-bind-try"]);

/** Indexes (into `argv`) of the host source paths of bwrap's bind options, for the bwrap whose options start at `from`. */
export function bindSourceIndexes(argv: readonly string[], from: number): number[] {
  const found: number[] = [];
  for (let i = from; i < argv.length; ) {
    const option = argv[i] as string;
    if (option === "--") return found;
    const arity = ARITY[option];
    if (arity === undefined) throw new Error(`stage.ts does not know the bwrap option ${JSON.stringify(option)}: add it to ARITY`);
    if (PATH_BINDS.has(option)) found.push(i + 1);
    i += 1 + arity;
  }
  return found;
}

async function which(...candidates: string[]): Promise<string | null> {
  for (const candidate of candidates)
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  return null;
}

/** Finds unshare and mount and prepares the mount point (a root-owned 0711 directory the sandbox uid can reach). Never throws. */
export async function stageHost(uid: number, gid: number): Promise<StageHost> {
  const unsharePath = await which("/usr/bin/unshare", "/bin/unshare");
  const mountPath = await which("/usr/bin/mount", "/bin/mount");
  if (!unsharePath || !mountPath) return { ok: false, reason: "unshare and mount (util-linux) are not both installed" };
  const refused: string[] = [];
  for (const parent of CANDIDATE_PARENTS) {
    const mountPoint = `${parent}/${STAGE_NAME}`;
    try {
      const blocked = await blockingParent(mountPoint, uid, gid);
      if (blocked) throw new Error(`${blocked} is not searchable by uid ${uid}`);
      await mkdir(mountPoint, { mode: 0o711 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      const info = await lstat(mountPoint);
      // Someone else's directory (or a symlink) in a shared /tmp could redirect the mount: only our own is used.
      if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) throw new Error("exists and is not a root-owned directory writable only by root");
      await chmod(mountPoint, 0o711);
      return { ok: true, mountPoint, unsharePath, mountPath };
    } catch (error) {
      refused.push(`${mountPoint}: ${errorMessage(error)}`);
    }
  }
  return { ok: false, reason: `no mount point for staging: ${refused.join("; ")}` };
}

export interface StageRequest {
  /** The command as bubblewrap.ts built it (setpriv then bwrap, maybe inside the cgroup wrapper). */
  command: BwrapCommand;
  dropTo: { uid: number; gid: number; setprivPath: string };
  host: StageHost | undefined;
}

/** What to do about a directory the sandbox user cannot search, when staging is impossible. */
export function unreachableFix(dir: string): string {
  return `Make every parent directory searchable (chmod o+x ${dir}); or put JULES_DATA_DIR (and the app) under a directory others can enter, such as /srv or /var/lib; or give the root process CAP_SYS_ADMIN (in a container: --cap-add SYS_ADMIN) so OpenJules can stage it; or run OpenJules as a non-root user.`;
}

/** The message for a source the sandbox user cannot reach, when staging is impossible. */
export function unreachableMessage(path: string, dir: string, uid: number, why: string): string {
  return `The sandbox user (uid ${uid}) cannot reach ${path}: ${dir} is not searchable by it, and this host cannot make it reachable (${why}). Fix: ${unreachableFix(dir)}`;
}

/** Returns `command` unchanged when the sandbox uid reaches every bind source, else the staged command. Throws SandboxSetupError when staging is needed and impossible. */
export async function stageUnreachable(request: StageRequest): Promise<BwrapCommand> {
  const { command, dropTo, host } = request;
  const argv = [command.file, ...command.args];
  const setpriv = argv.findIndex((arg, i) => arg === dropTo.setprivPath && argv[i + 1] === `--reuid=${dropTo.uid}`);
  const bwrap = argv.indexOf("--", setpriv) + 1;
  if (setpriv < 0 || bwrap <= 0) throw new Error("stage.ts: the command has no setpriv … -- bwrap part");
  const sources = new Map<string, string>();
  const indexes = bindSourceIndexes(argv, bwrap + 1);
  for (const index of indexes) {
    const path = argv[index] as string;
    if (sources.has(path)) continue;
    const blocked = await blockingParent(path, dropTo.uid, dropTo.gid);
    if (blocked) {
      if (!host?.ok) throw new SandboxSetupError(unreachableMessage(path, blocked, dropTo.uid, host?.reason ?? "staging was not probed"));
      sources.set(path, `${host.mountPoint}/${sources.size}`);
    }
  }
  if (sources.size === 0 || !host?.ok) return command;
  const staged = argv.map((arg, i) => (indexes.includes(i) ? (sources.get(arg) ?? arg) : arg));
  const prefix = [
    host.unsharePath,
    "--mount",
    "--propagation",
    "private",
    "--",
    "/bin/sh",
    "-c",
    STAGE_SCRIPT,
    "sh",
    host.mountPath,
    host.mountPoint,
    String(sources.size),
    ...sources.keys(),
  ];
  const out = [...staged.slice(0, setpriv), ...prefix, ...staged.slice(setpriv)];
  return { ...command, file: out[0] as string, args: out.slice(1) };
}
