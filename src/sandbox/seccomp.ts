/**
 * The sandbox's seccomp filter, as a classic BPF program built here (no
 * libseccomp): a pure function, unit-tested, handed to bubblewrap's
 * `--seccomp <fd>`. It refuses, with EPERM (friendlier to real test suites
 * than killing), the system calls repository code never needs and that widen
 * the kernel's attack surface or reach other processes: tracing and reading
 * other processes' memory (ptrace, process_vm_*: a ptrace on the sandbox's
 * pid 1 could keep a run alive), the kernel keyring, every mount-family call,
 * io_uring, userfaultfd, perf events, bpf, kernel modules and kexec, file
 * handles, swap, reboot, accounting, quotas, namespaces (unshare, setns),
 * personality flags other than the harmless ones (ADDR_NO_RANDOMIZE turns off
 * ASLR), and the terminal-injection ioctls TIOCSTI and TIOCLINUX. A system
 * call of an architecture the filter does not know (on x86_64: the i386
 * `int 0x80` ABI) kills the process, and so does the x32 ABI on x86_64, so no
 * other ABI's numbers can slip past the list.
 */

/** struct seccomp_data: nr at 0, arch at 4, instruction_pointer at 8, args[6] (u64) from 16. */
const OFF_NR = 0;
const OFF_ARCH = 4;
const offArgLow = (i: number) => 16 + 8 * i; // low 32 bits (little-endian)

const BPF_LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const BPF_JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_JGE_K = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const BPF_RET_K = 0x06; // BPF_RET | BPF_K

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const EPERM = 1;

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
const X32_SYSCALL_BIT = 0x40000000;

export const TIOCSTI = 0x5412;
export const TIOCLINUX = 0x541c;
/** personality() values programs legitimately use: PER_LINUX, PER_LINUX32, UNAME26 variants, and the query 0xffffffff. */
export const ALLOWED_PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

/** Refused system calls, by name. */
export const DENIED_SYSCALLS = [
  "ptrace",
  "process_vm_readv",
  "process_vm_writev",
  "keyctl",
  "add_key",
  "request_key",
  "mount",
  "umount2",
  "pivot_root",
  "move_mount",
  "open_tree",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "mount_setattr",
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "userfaultfd",
  "perf_event_open",
  "bpf",
  "kexec_load",
  "kexec_file_load",
  "init_module",
  "finit_module",
  "delete_module",
  "open_by_handle_at",
  "name_to_handle_at",
  "swapon",
  "swapoff",
  "reboot",
  "acct",
  "quotactl",
  "quotactl_fd",
  "lookup_dcookie",
  "unshare",
  "setns",
] as const;

type Syscall = (typeof DENIED_SYSCALLS)[number] | "personality" | "ioctl";

/** System call numbers (arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h). */
export const SYSCALLS: Record<"x86_64" | "aarch64", Record<Syscall, number>> = {
  x86_64: {
    ptrace: 101,
    process_vm_readv: 310,
    process_vm_writev: 311,
    keyctl: 250,
    add_key: 248,
    request_key: 249,
    mount: 165,
    umount2: 166,
    pivot_root: 155,
    move_mount: 429,
    open_tree: 428,
    fsopen: 430,
    fsconfig: 431,
    fsmount: 432,
    fspick: 433,
    mount_setattr: 442,
    io_uring_setup: 425,
    io_uring_enter: 426,
    io_uring_register: 427,
    userfaultfd: 323,
    perf_event_open: 298,
    bpf: 321,
    kexec_load: 246,
    kexec_file_load: 320,
    init_module: 175,
    finit_module: 313,
    delete_module: 176,
    open_by_handle_at: 304,
    name_to_handle_at: 303,
    swapon: 167,
    swapoff: 168,
    reboot: 169,
    acct: 163,
    quotactl: 179,
    quotactl_fd: 443,
    lookup_dcookie: 212,
    unshare: 272,
    setns: 308,
    personality: 135,
    ioctl: 16,
  },
  aarch64: {
    ptrace: 117,
    process_vm_readv: 270,
    process_vm_writev: 271,
    keyctl: 219,
    add_key: 217,
    request_key: 218,
    mount: 40,
    umount2: 39,
    pivot_root: 41,
    move_mount: 429,
    open_tree: 428,
    fsopen: 430,
    fsconfig: 431,
    fsmount: 432,
    fspick: 433,
    mount_setattr: 442,
    io_uring_setup: 425,
    io_uring_enter: 426,
    io_uring_register: 427,
    userfaultfd: 282,
    perf_event_open: 241,
    bpf: 280,
    kexec_load: 104,
    kexec_file_load: 294,
    init_module: 105,
    finit_module: 273,
    delete_module: 106,
    open_by_handle_at: 265,
    name_to_handle_at: 264,
    swapon: 224,
    swapoff: 225,
    reboot: 142,
    acct: 89,
    quotactl: 60,
    quotactl_fd: 443,
    lookup_dcookie: 18,
    unshare: 97,
    setns: 268,
    personality: 92,
    ioctl: 29,
  },
};

/** Node's process.arch → the filter's architecture; null where the filter is not available. */
export function seccompArch(nodeArch: string): "x86_64" | "aarch64" | null {
  return nodeArch === "x64" ? "x86_64" : nodeArch === "arm64" ? "aarch64" : null;
}

export interface Instruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** One instruction with symbolic jump targets (label names, or 0 for "next"). */
type Op = { label: string } | { code: number; k: number; jt?: string; jf?: string };

const ld = (offset: number): Op => ({ code: BPF_LD_W_ABS, k: offset });
const jeq = (k: number, jt?: string, jf?: string): Op => ({ code: BPF_JEQ_K, k, ...(jt ? { jt } : {}), ...(jf ? { jf } : {}) });
const ret = (k: number): Op => ({ code: BPF_RET_K, k });
const label = (name: string): Op => ({ label: name });

/** Resolves labels to the forward-only 8-bit offsets classic BPF jumps use. */
export function assemble(ops: readonly Op[]): Instruction[] {
  const at = new Map<string, number>();
  let n = 0;
  for (const op of ops) {
    if ("label" in op) at.set(op.label, n);
    else n++;
  }
  const out: Instruction[] = [];
  for (const op of ops) {
    if ("label" in op) continue;
    const pc = out.length;
    const offset = (target: string | undefined) => {
      if (!target) return 0;
      const dest = at.get(target);
      if (dest === undefined) throw new Error(`seccomp: unknown label ${target}`);
      const off = dest - pc - 1;
      if (off < 0 || off > 255) throw new Error(`seccomp: jump to ${target} out of range (${off})`);
      return off;
    };
    out.push({ code: op.code, jt: offset(op.jt), jf: offset(op.jf), k: op.k >>> 0 });
  }
  return out;
}

function archBlock(arch: "x86_64" | "aarch64"): Op[] {
  const nr = SYSCALLS[arch];
  const p = arch; // label prefix
  const ops: Op[] = [label(p), ld(OFF_NR)];
  if (arch === "x86_64") ops.push({ code: BPF_JGE_K, k: X32_SYSCALL_BIT, jt: "kill" });
  for (const name of DENIED_SYSCALLS) ops.push(jeq(nr[name], "deny"));
  ops.push(jeq(nr.personality, undefined, `${p}_ioctl`), ld(offArgLow(0)));
  for (const value of ALLOWED_PERSONALITIES) ops.push(jeq(value, "allow"));
  ops.push(ret(SECCOMP_RET_ERRNO | EPERM));
  ops.push(label(`${p}_ioctl`), jeq(nr.ioctl, undefined, "allow"), ld(offArgLow(1)), jeq(TIOCSTI, "deny"), jeq(TIOCLINUX, "deny"), ret(SECCOMP_RET_ALLOW));
  return ops;
}

/** The filter program (the same on every host of an architecture family; both families are in it). */
export function seccompProgram(): Instruction[] {
  return assemble([
    ld(OFF_ARCH),
    jeq(AUDIT_ARCH_X86_64, "x86_64"),
    jeq(AUDIT_ARCH_AARCH64, "aarch64"),
    ret(SECCOMP_RET_KILL_PROCESS),
    ...archBlock("x86_64"),
    ...archBlock("aarch64"),
    label("allow"),
    ret(SECCOMP_RET_ALLOW),
    label("deny"),
    ret(SECCOMP_RET_ERRNO | EPERM),
    label("kill"),
    ret(SECCOMP_RET_KILL_PROCESS),
  ]);
}

/** struct sock_filter[] as bubblewrap reads it: u16 code, u8 jt, u8 jf, u32 k, little-endian. */
export function encodeProgram(program: readonly Instruction[]): Buffer {
  const buf = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    buf.writeUInt16LE(ins.code, i * 8);
    buf.writeUInt8(ins.jt, i * 8 + 2);
    buf.writeUInt8(ins.jf, i * 8 + 3);
    buf.writeUInt32LE(ins.k >>> 0, i * 8 + 4);
  });
  return buf;
}

/** Runs a program on one system call, as the kernel would (for tests, and to check the program). */
export function evaluate(program: readonly Instruction[], call: { arch: number; nr: number; args?: number[] }): number {
  const word = (offset: number): number => {
    if (offset === OFF_NR) return call.nr >>> 0;
    if (offset === OFF_ARCH) return call.arch >>> 0;
    const i = (offset - 16) / 8;
    return (call.args?.[i] ?? 0) >>> 0;
  };
  let acc = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const ins = program[pc] as Instruction;
    if (ins.code === BPF_LD_W_ABS) acc = word(ins.k);
    else if (ins.code === BPF_RET_K) return ins.k;
    else if (ins.code === BPF_JEQ_K) pc += acc === ins.k ? ins.jt : ins.jf;
    else if (ins.code === BPF_JGE_K) pc += acc >= ins.k ? ins.jt : ins.jf;
    else throw new Error(`seccomp: unknown instruction ${ins.code}`);
  }
  throw new Error("seccomp: program fell off its end");
}
