import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, chmod, lstat, mkdir, mkdtemp, readdir, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { buildBwrapCommand, SANDBOX_UID, type HostLayout, type Limits } from "./bubblewrap.ts";
import { detectCgroups, type CgroupHost } from "./cgroup.ts";
import { handOver } from "./ownership.ts";
import { runProcess } from "./process.ts";
import { seccompArch } from "./seccomp.ts";
import { stageHost, stageUnreachable, type StageHost } from "./stage.ts";
import { errorMessage } from "../domain/error-message.ts";

/**
 * Finds out, once per configuration, whether this host can run the sandbox:
 * bwrap and prlimit (and setpriv when running as root) are installed, and a
 * trial sandbox really starts (namespaces may be forbidden, e.g. by a
 * container's seccomp profile or `kernel.unprivileged_userns_clone=0`) and
 * runs as the unprivileged uid; when running as root, also whether a source
 * the sandbox uid cannot reach (a data directory under /root) can be staged
 * for it (stage.ts), proven by a second trial from a 0700 directory. Also gathers the host layout the pure argv
 * builder needs, and whether commands get their own memory cgroup (cgroup.ts). Never throws: a failed probe carries a reason for the operator.
 */

export type SandboxProbe =
  | { ok: true; bwrapPath: string; version: string; layout: HostLayout; dropTo: { uid: number; gid: number; setprivPath: string } | null; cgroups: CgroupHost; staging?: StageHost }
  | { ok: false; reason: string };

export interface ProbeOptions {
  /** bwrap executable (a path, or a name looked up on PATH). Default "bwrap". */
  bwrapPath?: string;
  /** Host uid/gid the sandbox drops to when the app runs as root. Default 65534 (nobody). */
  sandboxUid?: number;
  sandboxGid?: number;
}

const run = promisify(execFile);
const SYSTEM_DIRS = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];
const ETC = [
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "alternatives",
  "ssl",
  "ca-certificates",
  "ca-certificates.conf",
  "pki",
  "crypto-policies",
  "localtime",
  "timezone",
  "mime.types",
  "protocols",
  "services",
  "nsswitch.conf",
  "host.conf",
  "gai.conf",
  "maven",
  "perl",
];
const ETC_PATTERNS = [/^java-\d+-openjdk$/, /^python3(\.\d+)?$/];

async function which(name: string): Promise<string | null> {
  const candidates = name.includes("/") ? [name] : (process.env.PATH ?? "/usr/bin:/bin").split(delimiter).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

async function hostLayout(prlimitPath: string, help: string): Promise<HostLayout> {
  const symlinks: Record<string, string> = {};
  const dirs: string[] = [];
  for (const name of SYSTEM_DIRS) {
    const info = await lstat(`/${name}`).catch(() => null);
    if (info?.isSymbolicLink()) symlinks[name] = await readlink(`/${name}`);
    else if (info?.isDirectory()) dirs.push(name);
  }
  const entries = await readdir("/etc").catch(() => [] as string[]);
  const etc = entries.filter((e) => ETC.includes(e) || ETC_PATTERNS.some((p) => p.test(e))).sort();
  return {
    symlinks,
    dirs,
    etc,
    prlimitPath,
    features: { disableUserns: help.includes("--disable-userns"), tmpfsSize: help.includes("--size"), seccomp: help.includes("--seccomp") && seccompArch(process.arch) !== null },
  };
}

const TRIAL_LIMITS: Limits = { memoryBytes: 512 * 1024 * 1024, processes: 64, fileSizeBytes: 1024 * 1024, openFiles: 256, tmpfsBytes: 16 * 1024 * 1024 };

async function probe(options: ProbeOptions): Promise<SandboxProbe> {
  const bwrapPath = await which(options.bwrapPath ?? "bwrap");
  if (!bwrapPath) return { ok: false, reason: `bubblewrap is not installed (no executable ${options.bwrapPath ?? "bwrap"} found)` };
  const prlimitPath = (await which("prlimit")) ?? "";
  if (!prlimitPath.startsWith("/usr/")) return { ok: false, reason: "prlimit (util-linux) must be installed under /usr to apply limits inside the sandbox" };
  let dropTo: { uid: number; gid: number; setprivPath: string } | null = null;
  if (process.getuid?.() === 0) {
    const setprivPath = await which("setpriv");
    if (!setprivPath) return { ok: false, reason: "running as root needs setpriv (util-linux) to drop to an unprivileged user for the sandbox" };
    dropTo = { uid: options.sandboxUid ?? SANDBOX_UID, gid: options.sandboxGid ?? options.sandboxUid ?? SANDBOX_UID, setprivPath };
  }
  const version = (await run(bwrapPath, ["--version"]).catch(() => ({ stdout: "" }))).stdout.trim();
  const help = (await run(bwrapPath, ["--help"]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }))).stdout;
  const layout = await hostLayout(prlimitPath, help);
  const staging = dropTo ? await stageHost(dropTo.uid, dropTo.gid) : undefined;
  const base = { bwrapPath, layout, dropTo, staging };
  const failed = await trial(base, false);
  if (failed) return { ok: false, reason: `bubblewrap cannot create a sandbox here ${failed}` };
  if (staging?.ok) {
    const stagedFailed = await trial(base, true);
    if (stagedFailed)
      return { ok: true, bwrapPath, version, layout, dropTo, cgroups: await detectCgroups(), staging: { ok: false, reason: `a staged trial sandbox failed ${stagedFailed}` } };
  }
  return { ok: true, bwrapPath, version, layout, dropTo, cgroups: await detectCgroups(), ...(staging ? { staging } : {}) };
}

type TrialBase = { bwrapPath: string; layout: HostLayout; dropTo: { uid: number; gid: number; setprivPath: string } | null; staging: StageHost | undefined };

/** Runs `id -u` in a trial sandbox (staged: from a working copy in a 0700 directory); null when it ran as the sandbox uid, else what happened. */
async function trial({ bwrapPath, layout, dropTo, staging }: TrialBase, staged: boolean): Promise<string | null> {
  const parent = await mkdtemp(join(tmpdir(), "openjules-probe-"));
  const workspace = join(parent, "ws");
  try {
    await mkdir(workspace);
    await chmod(workspace, 0o755);
    await chmod(parent, staged ? 0o700 : 0o755);
    if (dropTo) await handOver([workspace], dropTo.uid, dropTo.gid);
    let command = buildBwrapCommand({
      bwrapPath,
      layout,
      workspace,
      gitEntry: null,
      cwd: "",
      home: null,
      egress: null,
      env: {},
      limits: TRIAL_LIMITS,
      extraReadOnly: [],
      dropTo,
      command: "id -u",
    });
    if (dropTo) command = await stageUnreachable({ command, dropTo, host: staging });
    const result = await runProcess({ ...command, cwd: "/", env: { PATH: "/usr/bin:/bin" }, timeoutMs: 30_000, outputKeepBytes: 4096, outputMaxBytes: 65536 });
    if (result.exitCode !== 0 || result.output.trim() !== String(SANDBOX_UID)) return `(exit ${result.exitCode}): ${result.output.trim().slice(0, 500)}`;
    return null;
  } catch (error) {
    return `: ${errorMessage(error)}`;
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

const cache = new Map<string, Promise<SandboxProbe>>();

/** Probes once per configuration (cached for the process). */
export function probeSandbox(options: ProbeOptions = {}): Promise<SandboxProbe> {
  const key = JSON.stringify([options.bwrapPath ?? "bwrap", options.sandboxUid, options.sandboxGid]);
  let result = cache.get(key);
  if (!result) {
    result = probe(options);
    cache.set(key, result);
  }
  return result;
}
