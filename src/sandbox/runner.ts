import { constants } from "node:fs";
import { access, lstat, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { buildBwrapCommand, sandboxEnv, type Limits } from "./bubblewrap.ts";
import { createCommandCgroup } from "./cgroup.ts";
import { probeSandbox } from "./detect.ts";
import { watchDisk } from "./disk-quota.ts";
import { handOver, SandboxSetupError } from "./ownership.ts";
import { readGitView } from "./git-view.ts";
import { runProcess, type KilledBy } from "./process.ts";
import { stageUnreachable } from "./stage.ts";
import { allowEntries, openEgress, openHostsEgress, type EgressSession, type SetupNetworkOptions } from "./egress/session.ts";

/**
 * The one way repository code runs (setup, tests, the agent's `run` tool).
 * `bubblewrap` mode: see bubblewrap.ts for the sandbox. When the app runs as
 * root, bwrap's own user namespace would map the sandbox to host uid 0, which
 * owns most files and is exempt from RLIMIT_NPROC; so the runner first hands
 * the working copy and HOME to an unprivileged host uid (default 65534) and
 * starts bwrap through setpriv as that uid. If bubblewrap is missing or cannot
 * create namespaces, every run is refused. `unsafe` mode, which only an
 * operator's explicit setting selects, runs commands directly on the host
 * with a cleared environment and the same limits where the host enforces them
 * (not as root), and says so loudly when created. Each bubblewrap command
 * runs in its own memory and pids cgroup when the host delegates one
 * (cgroup.ts): its processes and tmpfs together stay within `memoryBytes`,
 * and a kill by the OOM killer is said in the output. With a disk quota, the
 * working copy and HOME are measured while each command runs and after it
 * (disk-quota.ts): over it the command is stopped and the run throws
 * SandboxQuotaError. `onOutput` streams a command's output as it runs
 * (the task's event log shows it live); the caps apply to the result only.
 */

export type SandboxMode = "bubblewrap" | "unsafe";

export interface RunOptions {
  /** Host directory to run in: the workspace or a directory inside it. */
  cwd: string;
  timeoutMs: number;
  /** Ask for network (the setup command only, when jules.yml allows): public hosts through the egress proxy, if the operator allows. Default false. */
  network?: boolean;
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** The directory mounted at /workspace. Default: the nearest ancestor of cwd holding `.git`, else cwd. */
  root?: string;
  /** Host directory used as HOME (persists caches from setup to tests). Default: a private tmpfs. */
  home?: string;
  /** Told the output as the command writes it (stdout and stderr, UTF-8), uncapped; the result's `output` keeps its caps. */
  onOutput?: ((text: string) => void) | undefined;
  /** The workspace bound read-only: an external agent's planning phase. */
  readOnly?: boolean;
  /** A host directory bound read-write at /run/openjules/channel: an external agent's file channel (given to the sandbox user, counted in the disk quota). */
  channel?: string;
  /** Variables for this command alone, through a file descriptor, never on a command line: an external agent's keys (no other command gets them). */
  secretEnv?: Record<string, string>;
  /** Network to these hosts only (host or host:port) through an egress proxy of its own, whatever JULES_SETUP_NETWORK says: an external agent's API. */
  egressHosts?: readonly string[];
}

export interface RunResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  truncated: boolean;
  killedBy?: KilledBy;
  /** When the command asked for network: what it had (and what the egress proxy refused). */
  network?: string;
}

export interface SandboxRunner {
  readonly mode: SandboxMode;
  run(command: string, options: RunOptions): Promise<RunResult>;
}

export interface SandboxRunnerOptions {
  mode: SandboxMode;
  bwrapPath?: string;
  limits?: Partial<Limits>;
  /** Output kept for the caller (head and tail). Default 256 KiB. */
  outputKeepBytes?: number;
  /** Output after which the command is killed. Default 16 MiB. */
  outputMaxBytes?: number;
  /** Extra host paths mounted read-only at the same place (e.g. a toolchain under /opt). */
  extraReadOnly?: string[];
  /** Bytes the working copy and HOME of a task may take on disk (checked during and after each command). Default: no quota. */
  diskQuotaBytes?: number;
  /** How often the disk quota is checked while a command runs. Default 5 s. */
  diskPollMs?: number;
  /** Host uid/gid for the sandbox when the app runs as root. Default 65534. */
  sandboxUid?: number;
  sandboxGid?: number;
  /** The operator's setup network (JULES_SETUP_NETWORK, JULES_SETUP_ALLOW_HOSTS). Default: public, no allowlist. */
  setupNetwork?: SetupNetworkOptions;
  logger?: { warn(message: string): void };
}

export class SandboxUnavailableError extends Error {
  readonly hint =
    "Install bubblewrap (apt install bubblewrap) and allow unprivileged user namespaces, or set JULES_SANDBOX=unsafe to run repository code unconfined (not recommended).";
  constructor(reason: string) {
    super(`OpenJules refuses to run repository code without a sandbox: ${reason}`);
    this.name = "SandboxUnavailableError";
  }
}

export const DEFAULT_LIMITS: Limits = {
  memoryBytes: 4 * 1024 ** 3,
  processes: 512,
  fileSizeBytes: 1024 ** 3,
  openFiles: 4096,
  tmpfsBytes: 1024 ** 3,
};

async function findRoot(cwd: string): Promise<string> {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (
      await lstat(join(dir, ".git")).then(
        () => true,
        () => false,
      )
    )
      return dir;
    if (dir === dirname(dir)) return cwd;
  }
}

async function resolvePaths(options: RunOptions): Promise<{ root: string; cwd: string }> {
  const cwd = await realpath(options.cwd);
  const root = await realpath(options.root ?? (await findRoot(cwd)));
  const rel = relative(root, cwd);
  if (rel.startsWith("..") || root === "/") throw new Error(`cwd ${options.cwd} must be inside the workspace ${root} (and the workspace cannot be /)`);
  return { root, cwd: rel };
}

export function createSandboxRunner(options: SandboxRunnerOptions): SandboxRunner {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const output = { outputKeepBytes: options.outputKeepBytes ?? 256 * 1024, outputMaxBytes: options.outputMaxBytes ?? 16 * 1024 * 1024 };
  if (options.mode === "unsafe") {
    (options.logger ?? console).warn(
      "JULES_SANDBOX=unsafe: repository code (setup, tests, agent commands) runs WITHOUT a sandbox, as this process's user, with network access. Use only for trusted repositories.",
    );
    return { mode: "unsafe", run: (command, opts) => runUnsafe(command, opts, limits, output) };
  }
  const setupNetwork = options.setupNetwork ?? { mode: "public", allowHosts: [] };
  const allow = allowEntries(setupNetwork);
  const probeOptions = { bwrapPath: options.bwrapPath, sandboxUid: options.sandboxUid, sandboxGid: options.sandboxGid };
  return {
    mode: "bubblewrap",
    async run(command, opts) {
      const probe = await probeSandbox(probeOptions);
      if (!probe.ok) throw new SandboxUnavailableError(probe.reason);
      const { root, cwd } = await resolvePaths(opts);
      const home = opts.home ? await realpath(opts.home) : null;
      const git = await lstat(join(root, ".git")).catch(() => null);
      const channel = opts.channel ? await realpath(opts.channel) : null;
      const owned = [root, ...(home ? [home] : []), ...(channel ? [channel] : [])];
      if (probe.dropTo) {
        // Handing a directory to the sandbox user is only ever right for a working copy.
        if (!git) throw new SandboxSetupError(`Refusing to give ${root} to the sandbox user: it is not a working copy (no .git)`);
        const { uid, gid } = probe.dropTo;
        await handOver(owned, uid, gid);
      }
      const cgroup = await createCommandCgroup(probe.cgroups, limits).catch((error: Error) => {
        throw new SandboxSetupError(error.message);
      });
      const disk = options.diskQuotaBytes ? watchDisk(owned, options.diskQuotaBytes, opts.signal, options.diskPollMs) : null;
      let result: RunResult;
      let egress: EgressSession | null = null;
      let cleanup: PromiseRejectedResult | undefined;
      try {
        egress = opts.egressHosts?.length
          ? await openHostsEgress(opts.egressHosts, probe.dropTo, options.logger)
          : await openEgress(opts.network ?? false, setupNetwork, allow, probe.dropTo, options.logger);
        let spec = buildBwrapCommand({
          bwrapPath: probe.bwrapPath,
          layout: probe.layout,
          workspace: root,
          gitEntry: git ? (git.isDirectory() ? "dir" : "file") : null,
          gitView: git?.isFile() ? await readGitView(root) : null,
          cwd,
          home,
          egress: egress.mount,
          env: opts.env ?? {},
          limits,
          extraReadOnly: options.extraReadOnly ?? [],
          dropTo: probe.dropTo,
          command,
          cgroupProcs: cgroup?.procs ?? [],
          readOnlyWorkspace: opts.readOnly ?? false,
          channel,
          secretEnv: opts.secretEnv ?? {},
        });
        // Sources under a directory the sandbox uid cannot enter (/root, a 0700 home) are bound from a staging mount (stage.ts).
        if (probe.dropTo) spec = await stageUnreachable({ command: spec, dropTo: probe.dropTo, host: probe.staging });
        const { onOutput } = opts;
        result = await runProcess({ ...spec, cwd: "/", env: { PATH: "/usr/bin:/bin" }, timeoutMs: opts.timeoutMs, signal: disk?.signal ?? opts.signal, onOutput, ...output });
        if (cgroup && (await cgroup.oomKills()) > 0) result = memoryKilled(result, limits.memoryBytes, opts.onOutput);
        const network = egress.note();
        if (network) result = { ...result, network };
      } finally {
        // Every step runs even when one fails (a cgroup left behind keeps its processes); then the first error,
        // unless the command itself failed: its error goes on (a throw here would replace it).
        const steps = await Promise.allSettled([egress?.close(), cgroup?.destroy(), disk?.finish()]);
        cleanup = steps.find((s): s is PromiseRejectedResult => s.status === "rejected");
      }
      if (cleanup) throw cleanup.reason;
      return result;
    },
  };
}

/** The command hit its cgroup's memory limit: the kernel killed (some of) its processes. */
function memoryKilled(result: RunResult, memoryBytes: number, onOutput?: (text: string) => void): RunResult {
  const note = `[OpenJules: the command went over its memory limit of ${Math.round(memoryBytes / 1024 ** 2)} MiB (processes and files in /tmp, /dev/shm together; JULES_SANDBOX_MEMORY_MB) and the kernel killed it]`;
  const added = `${result.output.endsWith("\n") || !result.output ? "" : "\n"}${note}\n`;
  onOutput?.(added);
  return { ...result, killedBy: result.killedBy ?? "memory", output: `${result.output}${added}` };
}

async function runUnsafe(command: string, opts: RunOptions, limits: Limits, output: { outputKeepBytes: number; outputMaxBytes: number }): Promise<RunResult> {
  if (opts.readOnly || opts.channel || opts.secretEnv || opts.egressHosts)
    throw new SandboxUnavailableError("an external agent runs only in the bubblewrap sandbox (JULES_SANDBOX=unsafe cannot confine it)");
  // A throwaway HOME when none is given, so caches never land in the working copy.
  const tmpHome = opts.home ? null : await mkdtemp(join(tmpdir(), "openjules-unsafe-home-"));
  const env = { ...sandboxEnv(opts.env ?? {}), PATH: "/usr/local/bin:/usr/bin:/bin", HOME: opts.home ?? (tmpHome as string) };
  const hasPrlimit = await access("/usr/bin/prlimit", constants.X_OK).then(
    () => true,
    () => false,
  );
  const args = [`--data=${limits.memoryBytes}`, `--nproc=${limits.processes}`, `--fsize=${limits.fileSizeBytes}`, "--core=0", "--", "/bin/sh", "-c", command];
  const [file, ...rest] = hasPrlimit ? ["/usr/bin/prlimit", ...args] : args.slice(-3);
  try {
    return await runProcess({ file: file as string, args: rest, cwd: opts.cwd, env, timeoutMs: opts.timeoutMs, signal: opts.signal, onOutput: opts.onOutput, ...output });
  } finally {
    if (tmpHome) await rm(tmpHome, { recursive: true, force: true });
  }
}
