import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildBwrapCommand } from "../../src/sandbox/bubblewrap.ts";
import { probeSandbox } from "../../src/sandbox/detect.ts";
import { runProcess } from "../../src/sandbox/process.ts";
import { createSandboxRunner, DEFAULT_LIMITS, type SandboxRunner } from "../../src/sandbox/runner.ts";
import {
  ALLOWED_PERSONALITIES,
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_X86_64,
  DENIED_SYSCALLS,
  encodeProgram,
  EPERM,
  evaluate,
  seccompArch,
  seccompProgram,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SYSCALLS,
  TIOCSTI,
} from "../../src/sandbox/seccomp.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

const DENY = SECCOMP_RET_ERRNO | EPERM;

describe("sandbox: seccomp program (pure)", () => {
  const program = seccompProgram();
  const arches = [
    ["x86_64", AUDIT_ARCH_X86_64],
    ["aarch64", AUDIT_ARCH_AARCH64],
  ] as const;

  it("refuses every listed call with EPERM on both architectures, and allows ordinary ones", () => {
    for (const [name, arch] of arches) {
      for (const call of DENIED_SYSCALLS) assert.equal(evaluate(program, { arch, nr: SYSCALLS[name][call] }), DENY, `${name} ${call}`);
      // read, write, openat, clone, execve, mmap... (numbers not on the list) are allowed
      for (const nr of [0, 1, 56, 57, 59, 63, 64, 220, 221, 222, 257]) {
        if (Object.values(SYSCALLS[name]).includes(nr)) continue;
        assert.equal(evaluate(program, { arch, nr }), SECCOMP_RET_ALLOW, `${name} ${nr}`);
      }
    }
  });

  it("kills on an unknown architecture (the i386 ABI on x86_64) and on the x32 ABI", () => {
    assert.equal(evaluate(program, { arch: 0x40000003, nr: 26 }), SECCOMP_RET_KILL_PROCESS); // i386 ptrace
    assert.equal(evaluate(program, { arch: 0x40000028, nr: 0 }), SECCOMP_RET_KILL_PROCESS); // arm
    assert.equal(evaluate(program, { arch: AUDIT_ARCH_X86_64, nr: 0x40000000 + 101 }), SECCOMP_RET_KILL_PROCESS);
    assert.equal(evaluate(program, { arch: AUDIT_ARCH_X86_64, nr: 0x40000000 }), SECCOMP_RET_KILL_PROCESS);
  });

  it("allows only harmless personalities and refuses the terminal-injection ioctls", () => {
    for (const [name, arch] of arches) {
      const { personality, ioctl } = SYSCALLS[name];
      for (const value of ALLOWED_PERSONALITIES) assert.equal(evaluate(program, { arch, nr: personality, args: [value] }), SECCOMP_RET_ALLOW);
      assert.equal(evaluate(program, { arch, nr: personality, args: [0x0040000] }), DENY); // ADDR_NO_RANDOMIZE
      assert.equal(evaluate(program, { arch, nr: ioctl, args: [1, TIOCSTI] }), DENY);
      assert.equal(evaluate(program, { arch, nr: ioctl, args: [1, 0x5401] }), SECCOMP_RET_ALLOW); // TCGETS
    }
  });

  it("encodes struct sock_filter little-endian, 8 bytes each", () => {
    const bytes = encodeProgram(program);
    assert.equal(bytes.length, program.length * 8);
    // first instruction: ld [4] (the architecture)
    assert.deepEqual([...bytes.subarray(0, 8)], [0x20, 0, 0, 0, 4, 0, 0, 0]);
    assert.ok(program.length < 256);
    assert.equal(seccompArch("x64"), "x86_64");
    assert.equal(seccompArch("ia32"), null);
  });
});

/** Perl's syscall(): prints "<name> ok" or "<name> <errno>" per call. */
function syscallScript(nr: Record<string, number>, attachPid1: boolean): string {
  const calls = [
    `["ptrace_traceme", ${nr.ptrace}, 0, 0, 0, 0]`,
    `["keyctl", ${nr.keyctl}, 0, -3, 0]`,
    `["io_uring_setup", ${nr.io_uring_setup}, 1, $p]`,
    `["userfaultfd", ${nr.userfaultfd}, 1]`,
    `["personality_norandomize", ${nr.personality}, 0x0040000]`,
    `["mount", ${nr.mount}, "none", "/tmp", "tmpfs", 0, 0]`,
    `["bpf", ${nr.bpf}, 0, 0, 0]`,
    ...(attachPid1 ? [`["ptrace_attach_pid1", ${nr.ptrace}, 16, 1, 0, 0]`] : []),
  ];
  return `my $p = "\\0" x 120; my @calls = (${calls.join(", ")});
for my $c (@calls) { my ($name, $n, @a) = @$c; $! = 0; my $r = syscall($n, @a); print "$name ", ($r == -1 ? $! + 0 : "ok"), "\\n"; }
print "done\\n";
`;
}

const parse = (output: string) =>
  Object.fromEntries(
    output
      .trim()
      .split("\n")
      .map((line) => line.split(" ") as [string, string]),
  );

describe("sandbox: seccomp filter in the real sandbox", () => {
  const arch = seccompArch(process.arch);
  let base: string;
  let ws: string;
  let runner: SandboxRunner;

  beforeAll(async () => {
    base = await tempDir("openjules-seccomp-");
    ws = join(base, "work", "task");
    await mkdir(ws, { recursive: true });
    await writeFile(join(ws, ".git"), "gitdir: /nowhere\n");
    runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 1536 * 1024 ** 2, processes: 64 }, extraReadOnly: [process.execPath.replace(/\/[^/]+$/, "")] });
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it("is detected on this host", async () => {
    const probe = await probeSandbox();
    assert.ok(probe.ok, probe.ok ? "" : probe.reason);
    assert.equal(probe.layout.features.seccomp, arch !== null, "bwrap 0.8 has --seccomp and this architecture is known");
  });

  it("refuses ptrace, keyctl, io_uring, userfaultfd, personality flags, mount and bpf with EPERM, which work without the filter", { skip: arch === null }, async () => {
    const nr = SYSCALLS[arch!];
    await writeFile(join(ws, "calls.pl"), syscallScript(nr, false));
    // The control: the same sandbox without the filter (what the sandbox was before it).
    const probe = await probeSandbox();
    assert.ok(probe.ok);
    const plain = buildBwrapCommand({
      bwrapPath: probe.bwrapPath,
      layout: { ...probe.layout, features: { ...probe.layout.features, seccomp: false } },
      workspace: ws,
      gitEntry: "file",
      cwd: "",
      home: null,
      egress: null,
      env: {},
      limits: DEFAULT_LIMITS,
      extraReadOnly: [],
      dropTo: probe.dropTo,
      command: "perl calls.pl",
    });
    const control = parse((await runProcess({ ...plain, cwd: "/", env: { PATH: "/usr/bin:/bin" }, timeoutMs: 30_000, outputKeepBytes: 4096, outputMaxBytes: 65536 })).output);
    assert.equal(control.done, undefined);
    for (const call of ["ptrace_traceme", "keyctl", "io_uring_setup", "userfaultfd", "personality_norandomize"])
      assert.equal(control[call], "ok", `without the filter ${call} works: ${JSON.stringify(control)}`);

    const result = await runner.run("perl calls.pl", { cwd: ws, timeoutMs: 30_000 });
    const seen = parse(result.output);
    for (const call of ["ptrace_traceme", "keyctl", "io_uring_setup", "userfaultfd", "personality_norandomize", "mount", "bpf"])
      assert.equal(seen[call], String(EPERM), `${call}: ${result.output}`);
    assert.equal(result.exitCode, 0);
  });

  it("a ptrace attach on the sandbox's pid 1 is refused and does not keep the run alive", { skip: arch === null }, async () => {
    await writeFile(join(ws, "attach.pl"), syscallScript(SYSCALLS[arch!], true));
    const started = Date.now();
    const result = await runner.run("perl attach.pl", { cwd: ws, timeoutMs: 20_000 });
    assert.equal(result.timedOut, false, "the run ended by itself");
    assert.ok(Date.now() - started < 15_000);
    assert.equal(parse(result.output).ptrace_attach_pid1, String(EPERM), result.output);
  });

  it("ordinary workloads still run: sh, git, node, perl", async () => {
    const result = await runner.run(
      `echo sh-ok; git --version >/dev/null && echo git-ok; ${process.execPath} -e 'require("fs").writeFileSync("/tmp/x", "1"); console.log("node-ok")'; perl -e 'print "perl-ok\\n"'`,
      { cwd: ws, timeoutMs: 60_000 },
    );
    assert.deepEqual(result.output.trim().split("\n"), ["sh-ok", "git-ok", "node-ok", "perl-ok"]);
    assert.equal(result.exitCode, 0);
  });
});
