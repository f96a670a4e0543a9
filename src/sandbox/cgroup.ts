import { randomUUID } from "node:crypto";
import { access, mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { errorMessage } from "../domain/error-message.ts";

/**
 * A memory and pids cgroup for each sandboxed command, when the host
 * delegates one to this process: every process of the command and every
 * tmpfs page it writes (/tmp, /dev/shm, a tmpfs HOME) is charged to it, so one
 * command cannot take more than its memory budget however many processes it
 * forks. bubblewrap.ts makes the command join the cgroup before it can fork.
 *
 * cgroup v1: the memory (and pids) hierarchy's directory of this process
 * (from /proc/self/cgroup) must let us create children; each command gets
 * `memory.limit_in_bytes` and, when swap accounting exists,
 * `memory.memsw.limit_in_bytes` (no swapping past the limit), and `pids.max`.
 * cgroup v2: this process's own cgroup must be writable and have the memory
 * controller available. Because a v2 cgroup with controllers enabled for its
 * children may hold no processes ("no internal processes"), the processes of
 * our cgroup first move into a leaf child `openjules-app`, then memory and
 * pids are enabled for the children, and each command gets a sibling
 * `openjules-<uuid>` with `memory.max`, `memory.swap.max` = 0, `pids.max` and
 * `memory.oom.group` (an OOM kills the whole command). Detection does a trial
 * child and never throws: it says why a limit cannot be enforced.
 */

export type CgroupHost = { version: 1; memory: string; pids: string | null; memsw: boolean } | { version: 2; parent: string } | { version: 0; reason: string };

export interface CgroupPaths {
  /** Where the cgroup file systems are mounted. Default /sys/fs/cgroup. */
  root?: string;
  /** This process's membership. Default /proc/self/cgroup. */
  self?: string;
}

export interface CommandLimits {
  memoryBytes: number;
  processes: number;
}

export interface CommandCgroup {
  /** `cgroup.procs` files the command writes its pid to before it execs. */
  readonly procs: string[];
  /** How many processes the kernel's OOM killer killed in it (the memory limit was hit). */
  oomKills(): Promise<number>;
  /** Kills whatever is left in it and removes it. Never throws. */
  destroy(): Promise<void>;
}

const APP_LEAF = "openjules-app";
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** /proc/self/cgroup lines: `id:controllers:path`. */
export function parseSelfCgroup(text: string): { v1: Map<string, string>; v2: string | null } {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of text.split("\n")) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    if (id === "0" && controllers === "") v2 = path;
    else for (const c of controllers.split(",")) if (c) v1.set(c, `${controllers}\u0000${path}`);
  }
  return { v1, v2 };
}

async function trial(parent: string, limitFile: string): Promise<void> {
  const dir = join(parent, `openjules-probe-${randomUUID()}`);
  await mkdir(dir);
  try {
    await writeFile(join(dir, limitFile), String(64 * 1024 * 1024));
  } finally {
    await rmdir(dir).catch(() => undefined);
  }
}

async function detectV1(root: string, v1: Map<string, string>): Promise<CgroupHost> {
  const at = (controller: string) => {
    const entry = v1.get(controller);
    if (!entry) return null;
    const [mount, path] = entry.split("\u0000") as [string, string];
    return join(root, mount, path);
  };
  const memory = at("memory");
  if (!memory || !(await exists(join(memory, "memory.limit_in_bytes")))) return { version: 0, reason: "cgroup v1 without a mounted memory controller" };
  try {
    await trial(memory, "memory.limit_in_bytes");
  } catch (error) {
    return { version: 0, reason: `cannot create a memory cgroup under ${memory} (${errorMessage(error)}): it is not delegated to this process` };
  }
  let pids = at("pids");
  if (pids)
    pids = await trial(pids, "pids.max").then(
      () => pids,
      () => null,
    );
  return { version: 1, memory, pids, memsw: await exists(join(memory, "memory.memsw.limit_in_bytes")) };
}

async function detectV2(root: string, path: string): Promise<CgroupHost> {
  const own = join(root, path);
  const parent = path.endsWith(`/${APP_LEAF}`) ? join(own, "..") : own;
  try {
    const available = (await readFile(join(parent, "cgroup.controllers"), "utf8")).split(/\s+/);
    if (!available.includes("memory")) return { version: 0, reason: `the memory controller is not available in ${parent} (cgroup v2): the host does not delegate it` };
    const enabled = (await readFile(join(parent, "cgroup.subtree_control"), "utf8")).split(/\s+/);
    if (!enabled.includes("memory")) {
      // No internal processes: move everything of our cgroup into a leaf before enabling controllers for children.
      const leaf = join(parent, APP_LEAF);
      await mkdir(leaf).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      for (let round = 0; round < 5; round++) {
        const pids = (await readFile(join(parent, "cgroup.procs"), "utf8")).split("\n").filter(Boolean);
        if (pids.length === 0) break;
        for (const pid of pids) await writeFile(join(leaf, "cgroup.procs"), pid).catch(() => undefined);
      }
      await writeFile(join(parent, "cgroup.subtree_control"), available.includes("pids") ? "+memory +pids" : "+memory");
    }
    await trial(parent, "memory.max");
    return { version: 2, parent };
  } catch (error) {
    return { version: 0, reason: `cannot create a memory cgroup under ${parent} (${errorMessage(error)}): the host does not delegate this cgroup to OpenJules` };
  }
}

/** Finds out whether this process may create memory cgroups for its commands. Never throws. */
export async function detectCgroups(paths: CgroupPaths = {}): Promise<CgroupHost> {
  const root = paths.root ?? "/sys/fs/cgroup";
  const text = await readFile(paths.self ?? "/proc/self/cgroup", "utf8").catch(() => "");
  const { v1, v2 } = parseSelfCgroup(text);
  if (v1.has("memory")) return detectV1(root, v1);
  if (v2 !== null && (await exists(join(root, "cgroup.controllers")))) return detectV2(root, v2);
  return { version: 0, reason: text ? "no memory cgroup controller is mounted" : "cgroups are not available (no /proc/self/cgroup)" };
}

/** Reads `key N` from a flat-keyed cgroup file (memory.events, memory.oom_control). */
async function counter(file: string, key: string): Promise<number> {
  const text = await readFile(file, "utf8").catch(() => "");
  return Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
}

async function killAndRemove(dirs: string[], v2: boolean): Promise<void> {
  for (let round = 0; round < 100; round++) {
    let left = 0;
    for (const dir of dirs) {
      if (v2 && (await exists(join(dir, "cgroup.kill")))) await writeFile(join(dir, "cgroup.kill"), "1").catch(() => undefined);
      const pids = (await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => "")).split("\n").filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // already gone
        }
      }
      left += pids.length;
    }
    if (left === 0) {
      const removed = await Promise.all(
        dirs.map((dir) =>
          rmdir(dir).then(
            () => true,
            (e: NodeJS.ErrnoException) => e.code === "ENOENT",
          ),
        ),
      );
      if (removed.every(Boolean)) return;
    }
    await sleep(50);
  }
}

/** Creates the cgroup(s) of one command with its limits. Throws when the host said it could and now cannot. */
export async function createCommandCgroup(host: CgroupHost, limits: CommandLimits): Promise<CommandCgroup | null> {
  if (host.version === 0) return null;
  const name = `openjules-${randomUUID()}`;
  const bytes = String(limits.memoryBytes);
  const dirs: string[] = [];
  const made = async (dir: string) => {
    await mkdir(dir);
    dirs.push(dir);
    return dir;
  };
  try {
    if (host.version === 1) {
      const memory = await made(join(host.memory, name));
      await writeFile(join(memory, "memory.limit_in_bytes"), bytes);
      if (host.memsw) await writeFile(join(memory, "memory.memsw.limit_in_bytes"), bytes);
      if (host.pids) await writeFile(join(await made(join(host.pids, name)), "pids.max"), String(limits.processes));
      return {
        procs: dirs.map((dir) => join(dir, "cgroup.procs")),
        oomKills: () => counter(join(memory, "memory.oom_control"), "oom_kill"),
        destroy: () => killAndRemove(dirs, false),
      };
    }
    const dir = await made(join(host.parent, name));
    await writeFile(join(dir, "memory.max"), bytes);
    if (await exists(join(dir, "memory.swap.max"))) await writeFile(join(dir, "memory.swap.max"), "0");
    if (await exists(join(dir, "memory.oom.group"))) await writeFile(join(dir, "memory.oom.group"), "1");
    if (await exists(join(dir, "pids.max"))) await writeFile(join(dir, "pids.max"), String(limits.processes));
    return { procs: [join(dir, "cgroup.procs")], oomKills: () => counter(join(dir, "memory.events"), "oom_kill"), destroy: () => killAndRemove(dirs, true) };
  } catch (error) {
    await killAndRemove(dirs, host.version === 2);
    throw new Error(`Could not create the command's cgroup: ${errorMessage(error)}`, { cause: error });
  }
}
