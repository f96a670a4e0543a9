/**
 * The bubblewrap command line, as a pure function of a plan (unit-tested).
 * Every namespace is unshared, network always included: a setup command
 * allowed out gets only a Unix socket to the app's egress proxy and a
 * forwarder to it on its own loopback (egress/); the sandbox runs as uid/gid 65534 inside its own user
 * namespace, with nested user namespaces disabled, a new session (no TIOCSTI
 * into our terminal) and death with its parent. The filesystem is a read-only
 * root holding read-only system directories (/usr and the merged-/usr links,
 * a few harmless /etc pieces, generated passwd/group/hosts/nsswitch.conf), a fresh /proc and
 * minimal /dev, size-capped private tmpfs for /tmp and /dev/shm, the working
 * copy read-write at /workspace with its `.git` replaced (by a read-only view
 * of the task's repository, git-view.ts, or an empty file), and HOME at
 * /home/sandbox (a per-task host directory, or a tmpfs). The data directory,
 * the mirror and anything holding credentials are never mounted. Resource
 * limits are applied inside by prlimit, so RLIMIT_NPROC counts only the
 * sandbox's own processes. When the app runs as root, setpriv first drops to
 * an unprivileged host uid (see runner.ts for why). A seccomp filter
 * (seccomp.ts) refuses ptrace, mount, keyring, io_uring and the like. When the
 * host delegates cgroups, a tiny shell first moves itself into the command's
 * own cgroup (cgroup.ts) and then execs the rest, so every process of the
 * command, tmpfs pages included, is charged to it before anything can fork.
 * An external agent's run (src/agent/external/) may have the workspace bound
 * read-only (planning), its file channel bound at CHANNEL_DIR, and secret
 * variables read from a file given on a descriptor (never on a command line,
 * so no other process of the host sees them in /proc).
 */

import { ENV_NAME, reservedEnvName } from "../config/env-names.ts";
import { GIT_VIEW, type GitView } from "./git-view.ts";
import { encodeProgram, seccompProgram } from "./seccomp.ts";
import { toolchainEnv, toolchainPath } from "./toolchain-env.ts";
import { egressCommandPrefix, egressMountArgs, FORWARDER_SOURCE, type EgressMount } from "./egress/forwarder.ts";

export const SANDBOX_UID = 65534;
export const WORKSPACE = "/workspace";
export const SANDBOX_HOME = "/home/sandbox";
/** npm's global prefix, inside HOME so `npm link` / `npm install -g` work (the system prefix is read-only). */
export const NPM_PREFIX = `${SANDBOX_HOME}/.npm-global`;
/** The Node a repository declares, when setup installed it into HOME (toolchain/node-install.ts): a link to its bin, first on PATH. */
export const TOOLCHAIN_BIN = `${SANDBOX_HOME}/.openjules/toolchain/bin`;
/** Tools a setup installs into HOME come first: the declared Node, the virtualenv detected Python setups make (~/.venv), npm's global bin, pip --user, cargo install, go install. */
const HOME_TOOLS = [TOOLCHAIN_BIN, `${SANDBOX_HOME}/.venv/bin`, `${NPM_PREFIX}/bin`, `${SANDBOX_HOME}/.local/bin`, `${SANDBOX_HOME}/.cargo/bin`, `${SANDBOX_HOME}/go/bin`];
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
export const SANDBOX_PATH = [...HOME_TOOLS, SYSTEM_PATH].join(":");

export interface Limits {
  /** RLIMIT_DATA per process (heap and private writable mappings). */
  memoryBytes: number;
  /** RLIMIT_NPROC: processes and threads of the sandbox user. */
  processes: number;
  /** RLIMIT_FSIZE: largest file a process may write. */
  fileSizeBytes: number;
  openFiles: number;
  /** Size of each private tmpfs (/tmp, /dev/shm, and HOME when it is not a host directory). */
  tmpfsBytes: number;
}

/** What the host looks like; gathered once by detect.ts so this file stays pure. */
export interface HostLayout {
  /** Top-level entries that are symlinks on the host (merged /usr): name → link target. */
  symlinks: Record<string, string>;
  /** Top-level system directories that are real directories on the host. */
  dirs: string[];
  /** /etc entries to expose read-only (only those that exist). */
  etc: string[];
  prlimitPath: string;
  /** seccomp: bwrap has --seccomp and seccomp.ts knows this architecture. */
  features: { disableUserns: boolean; tmpfsSize: boolean; seccomp: boolean };
}

export interface BwrapPlan {
  bwrapPath: string;
  layout: HostLayout;
  /** Host directory bound read-write at /workspace. */
  workspace: string;
  /** What `<workspace>/.git` is, so it can be hidden. */
  gitEntry: "file" | "dir" | null;
  /** A worktree's read-only view of its repository (git-view.ts), in place of the pointer into the mirror; absent: `.git` is an empty file. */
  gitView?: GitView | null;
  /** Working directory relative to the workspace ("" for its root). */
  cwd: string;
  /** Host directory bound read-write as HOME; a tmpfs when absent. */
  home: string | null;
  /** Setup's only way out: the egress proxy's socket (and a Node binary for the forwarder); null: no network at all. */
  egress: EgressMount | null;
  env: Record<string, string>;
  limits: Limits;
  extraReadOnly: string[];
  /** Host uid/gid to drop to with setpriv before bwrap (when the app runs as root). */
  dropTo: { uid: number; gid: number; setprivPath: string } | null;
  /** `cgroup.procs` files the command enters before anything else runs (empty: no cgroup). */
  cgroupProcs?: readonly string[];
  /** The workspace bound read-only (an external agent's planning phase: it may read, never write). */
  readOnlyWorkspace?: boolean;
  /** A host directory bound read-write at CHANNEL_DIR: an external agent's file channel (inbox, outbox). */
  channel?: string | null;
  /** Variables for this command alone, given through a file descriptor (never on a command line): an external agent's keys. */
  secretEnv?: Record<string, string>;
  command: string;
}

/** Where an external agent finds its file channel (src/agent/external/). */
export const CHANNEL_DIR = "/run/openjules/channel";
/** The file the secret variables of one command are read from, inside its sandbox only. */
export const SECRET_ENV_FILE = "/run/openjules/agent.env";

/** `NAME='value'` lines for `set -a; . file`: names checked like every variable, values single-quoted. */
export function secretEnvFile(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!ENV_NAME.test(name) || reservedEnvName(name)) throw new Error(`The environment variable ${JSON.stringify(name)} cannot be set for repository commands`);
      return `${name}='${value.replace(/'/g, "'\\''")}'\n`;
    })
    .join("");
}

/** Reads the secret variables, then runs the command (`sh -c SCRIPT sh <command>`). */
const WITH_SECRET_ENV = `set -a; . ${SECRET_ENV_FILE} || exit 125; set +a; exec /bin/sh -c "$1"`;

export interface BwrapCommand {
  file: string;
  args: string[];
  /** Contents to write to extra file descriptors 3, 4, ... of the child (generated /etc files, the seccomp program). */
  fds: (string | Buffer)[];
}

export const PASSWD = `root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:${SANDBOX_UID}:${SANDBOX_UID}:OpenJules sandbox:${SANDBOX_HOME}:/bin/sh\n`;
export const GROUP = `root:x:0:\nsandbox:x:${SANDBOX_UID}:\n`;
export const HOSTS = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n";
/**
 * The sandbox has no DNS (no resolver, no network but setup's proxy, which resolves names itself): names come from
 * its /etc/hosts alone, so an unknown one is "not found" at once (ENOTFOUND) instead of a temporary failure
 * (EAI_AGAIN) that clients retry and that suites asserting an unknown host's error do not expect.
 */
export const NSSWITCH =
  "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\nethers: files\nrpc: files\nnetgroup: files\n";
const SECCOMP = encodeProgram(seccompProgram());
/** `sh -c ENTER_CGROUPS sh <n> <procs file>... <command...>`: joins each cgroup, then execs the command (fails closed). */
export const ENTER_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "openjules: cannot enter the cgroup $1" >&2; exit 125; }; shift; n=$((n-1)); done; exec "$@"';

/**
 * What every repository command starts with: what CI runners give test suites
 * (CI=true, a UTF-8 locale, TZ=UTC, a non-interactive terminal), the task's
 * HOME with a writable npm global prefix, Go's and Rust's caches in it and
 * toolchains bound from outside /usr on PATH (toolchain-env.ts), npm quiet about audits and updates
 * (they need the network tests never have), git without optional index writes
 * (the repository is read-only inside), then the repository's `env:`
 * (env-names.ts says what it may not set). Colours are left to the tools:
 * output is not a terminal and TERM is dumb, people see it with escapes
 * stripped, and NO_COLOR / FORCE_COLOR would change what suites that test
 * their own colours assert (a repository can set them in `env:`).
 */
export function sandboxEnv(extra: Record<string, string>, extraReadOnly: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...HOME_TOOLS, ...toolchainPath(extraReadOnly), SYSTEM_PATH].join(":"),
    HOME: SANDBOX_HOME,
    USER: "sandbox",
    LOGNAME: "sandbox",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TZ: "UTC",
    TMPDIR: "/tmp",
    CI: "true",
    TERM: "dumb",
    npm_config_prefix: NPM_PREFIX,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    GIT_OPTIONAL_LOCKS: "0",
    ...toolchainEnv(SANDBOX_HOME, extraReadOnly),
  };
  for (const [name, value] of Object.entries(extra)) {
    if (!ENV_NAME.test(name) || reservedEnvName(name)) throw new Error(`The environment variable ${JSON.stringify(name)} cannot be set for repository commands`);
    env[name] = value;
  }
  return env;
}

/**
 * Tools that carry their own CA list (Node and so npm, yarn, pnpm; Python's
 * requests and pip) are pointed at the host's system bundle, bound read-only,
 * so setup trusts what the operator's system trusts (an intercepting proxy's
 * CA included) like curl, git, cargo and go already do. A repository can
 * still override them in `env:`.
 */
function trustStoreEnv(layout: HostLayout): Record<string, string> {
  const bundle = layout.etc.includes("ssl") ? "/etc/ssl/certs/ca-certificates.crt" : layout.etc.includes("pki") ? "/etc/pki/tls/certs/ca-bundle.crt" : null;
  return bundle ? { NODE_EXTRA_CA_CERTS: bundle, REQUESTS_CA_BUNDLE: bundle, PIP_CERT: bundle } : {};
}

function limitArgs(plan: BwrapPlan): string[] {
  const l = plan.limits;
  return [plan.layout.prlimitPath, `--data=${l.memoryBytes}`, `--nproc=${l.processes}`, `--fsize=${l.fileSizeBytes}`, `--nofile=${l.openFiles}`, "--core=0", "--"];
}

export function buildBwrapCommand(plan: BwrapPlan): BwrapCommand {
  if (plan.cwd.split("/").includes("..") || plan.cwd.startsWith("/")) throw new Error(`cwd must be relative to the workspace, got ${plan.cwd}`);
  const { layout } = plan;
  const tmpfs = (dest: string) => [...(layout.features.tmpfsSize ? ["--size", String(plan.limits.tmpfsBytes)] : []), "--tmpfs", dest];
  const fds: (string | Buffer)[] = [PASSWD, GROUP, HOSTS, NSSWITCH];
  const a: string[] = ["--unshare-all", "--unshare-user"];
  a.push("--die-with-parent", "--new-session", "--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_UID), "--hostname", "sandbox");
  if (layout.features.disableUserns) a.push("--disable-userns");
  a.push("--cap-drop", "ALL");
  if (layout.features.seccomp) {
    fds.push(SECCOMP);
    a.push("--seccomp", String(2 + fds.length));
  }
  a.push("--ro-bind", "/usr", "/usr");
  for (const [name, target] of Object.entries(layout.symlinks)) a.push("--symlink", target, `/${name}`);
  for (const name of layout.dirs) a.push("--ro-bind", `/${name}`, `/${name}`);
  for (const entry of layout.etc) if (entry !== "nsswitch.conf") a.push("--ro-bind", `/etc/${entry}`, `/etc/${entry}`);
  a.push("--ro-bind-data", "3", "/etc/passwd", "--ro-bind-data", "4", "/etc/group", "--ro-bind-data", "5", "/etc/hosts", "--ro-bind-data", "6", "/etc/nsswitch.conf");
  a.push("--proc", "/proc", "--dev", "/dev", ...tmpfs("/dev/shm"), ...tmpfs("/tmp"), "--symlink", "../tmp", "/var/tmp");
  // After the private /tmp, so an extra path under /tmp (a toolchain unpacked there) is not hidden by it.
  for (const path of plan.extraReadOnly) a.push("--ro-bind-try", path, path);
  a.push(plan.readOnlyWorkspace ? "--ro-bind" : "--bind", plan.workspace, WORKSPACE);
  if (plan.gitEntry === "file") {
    // The pointer into the mirror is replaced: by one to the read-only view, or by an empty file.
    const view = plan.gitView ?? null;
    fds.push(view ? `gitdir: ${GIT_VIEW}\n` : "");
    a.push("--ro-bind-data", String(2 + fds.length), `${WORKSPACE}/.git`);
    if (view) {
      a.push("--dir", `${GIT_VIEW}/refs`, "--ro-bind", view.objects, `${GIT_VIEW}/objects`);
      // Hook installers in `prepare` (lefthook, simple-git-hooks) write hooks/ and info/: private tmpfs that vanish
      // with the command. Host git never reads them (the host's gitdir is the mirror's, and its hooks are off).
      a.push(...tmpfs(`${GIT_VIEW}/hooks`), ...tmpfs(`${GIT_VIEW}/info`));
      if (view.index) a.push("--ro-bind", view.index, `${GIT_VIEW}/index`);
      for (const [name, content] of Object.entries(view.files)) {
        fds.push(content);
        a.push("--ro-bind-data", String(2 + fds.length), `${GIT_VIEW}/${name}`);
      }
    }
  }
  if (plan.gitEntry === "dir") a.push("--tmpfs", `${WORKSPACE}/.git`, "--remount-ro", `${WORKSPACE}/.git`);
  a.push(...(plan.home ? ["--bind", plan.home, SANDBOX_HOME] : tmpfs(SANDBOX_HOME)));
  if (plan.egress) {
    fds.push(FORWARDER_SOURCE);
    a.push(...egressMountArgs(plan.egress, 2 + fds.length));
  }
  if (plan.channel) a.push("--bind", plan.channel, CHANNEL_DIR);
  const secrets = plan.secretEnv && Object.keys(plan.secretEnv).length > 0 ? secretEnvFile(plan.secretEnv) : null;
  if (secrets !== null) {
    fds.push(secrets);
    a.push("--ro-bind-data", String(2 + fds.length), SECRET_ENV_FILE);
  }
  a.push("--remount-ro", "/", "--chdir", plan.cwd ? `${WORKSPACE}/${plan.cwd}` : WORKSPACE, "--clearenv");
  for (const [name, value] of Object.entries({ ...trustStoreEnv(layout), ...sandboxEnv(plan.env, plan.extraReadOnly) })) a.push("--setenv", name, value);
  const run = secrets === null ? ["/bin/sh", "-c", plan.command] : ["/bin/sh", "-c", WITH_SECRET_ENV, "sh", plan.command];
  a.push("--", ...limitArgs(plan), ...(plan.egress ? egressCommandPrefix() : []), ...run);
  const argv = plan.dropTo
    ? [plan.dropTo.setprivPath, `--reuid=${plan.dropTo.uid}`, `--regid=${plan.dropTo.gid}`, "--clear-groups", "--", plan.bwrapPath, ...a]
    : [plan.bwrapPath, ...a];
  const procs = plan.cgroupProcs ?? [];
  if (procs.length > 0) return { file: "/bin/sh", args: ["-c", ENTER_CGROUPS, "sh", String(procs.length), ...procs, ...argv], fds };
  return { file: argv[0] as string, args: argv.slice(1), fds };
}
