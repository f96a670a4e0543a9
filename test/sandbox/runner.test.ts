import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createSandboxRunner, SandboxUnavailableError, type SandboxRunner } from "../../src/sandbox/runner.ts";
import { pathExists, tempDir } from "../helpers/git/workspace-fixture.ts";

/** The interface the agent's `run` tool expects; the sandbox runner must satisfy it. */
interface CommandRunner {
  run(cmd: string, opts: { cwd: string; timeoutMs: number; signal?: AbortSignal }): Promise<{ exitCode: number | null; output: string; timedOut: boolean }>;
}

const CANARY = "openjules-canary-3f9a1c";
/** This test's own node binary, mounted read-only so scripts do not depend on what /usr holds. */
const NODE = process.execPath;
const node = (script: string) => `${NODE} -e '${script}'`;

describe("sandbox: bubblewrap runner (real bwrap)", () => {
  let base: string;
  let ws: string;
  let home: string;
  let secretDir: string;
  let runner: SandboxRunner;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    base = await tempDir("openjules-sbx-");
    ws = join(base, "work", "task");
    home = join(base, "home", "task");
    secretDir = join(base, "mirrors");
    await mkdir(join(ws, "sub"), { recursive: true });
    await mkdir(home, { recursive: true });
    await mkdir(secretDir, { recursive: true });
    await writeFile(join(ws, ".git"), `gitdir: ${secretDir}/repo.git/worktrees/task\n`);
    await writeFile(join(secretDir, "config"), "token in a file the sandbox must not see\n");
    process.env.OPENJULES_TEST_SECRET = CANARY;
    // Node 24 reserves about 1 GB of address space at start, hence 1.5 GB.
    runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 1536 * 1024 ** 2, processes: 64 }, extraReadOnly: [dirname(NODE)] });
    server = createServer((socket) => socket.end("hello\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    delete process.env.OPENJULES_TEST_SECRET;
    await new Promise((resolve) => server.close(resolve));
    await rm(base, { recursive: true, force: true });
  });

  const run = (command: string, extra: Partial<Parameters<SandboxRunner["run"]>[1]> = {}) => runner.run(command, { cwd: ws, timeoutMs: 60_000, home, ...extra });

  it("is a CommandRunner, runs in /workspace as an unprivileged user", async () => {
    const asPort: CommandRunner = runner;
    const result = await asPort.run("id -u; id -g; pwd", { cwd: join(ws, "sub"), timeoutMs: 60_000 });
    assert.deepEqual(result.output.trim().split("\n"), ["65534", "65534", "/workspace/sub"]);
    assert.equal(result.exitCode, 0);
    assert.equal(result.timedOut, false);
  });

  it("can write only the workspace, /tmp and HOME", async () => {
    const script = [
      "touch /usr/x 2>/dev/null && echo usr-writable",
      "touch /etc/x 2>/dev/null && echo etc-writable",
      "touch /x 2>/dev/null && echo root-writable",
      `touch ${secretDir}/x 2>/dev/null && echo data-writable`,
      `cat ${secretDir}/config 2>/dev/null && echo data-readable`,
      "echo ws > /workspace/written && echo ws-ok",
      "echo t > /tmp/t && echo tmp-ok",
      'echo h > "$HOME/h" && echo home-ok',
    ].join("; ");
    const { output } = await run(script);
    assert.deepEqual(output.trim().split("\n"), ["ws-ok", "tmp-ok", "home-ok"]);
    assert.equal(await readFile(join(ws, "written"), "utf8"), "ws\n");
    assert.equal(await readFile(join(home, "h"), "utf8"), "h\n");
    assert.equal(await pathExists(join(secretDir, "x")), false);
  });

  it("hides the worktree's .git pointer into the mirror", async () => {
    const { output } = await run("wc -c < /workspace/.git; { echo x > /workspace/.git; } 2>/dev/null && echo git-writable; true");
    assert.equal(output.trim(), "0");
    assert.match(await readFile(join(ws, ".git"), "utf8"), /^gitdir:/);
  });

  it("clears the environment: the app's secrets are not visible, the caller's variables are", async () => {
    const { output } = await run("env; cat /proc/self/environ /proc/1/environ 2>/dev/null | tr '\\0' '\\n'", { env: { GREETING: "hi" } });
    assert.ok(!output.includes(CANARY), output);
    assert.match(output, /^GREETING=hi$/m);
    assert.match(output, /^CI=true$/m);
  });

  it("has no network, and even setup's network (the egress proxy) never reaches the host's loopback", async () => {
    const probe = node(
      `require("net").connect(${port}, "127.0.0.1").on("data", (d) => { console.log(String(d).trim()); process.exit(0) }).on("error", (e) => console.log(e.code))`,
    );
    const blocked = await run(probe);
    assert.match(blocked.output, /ECONNREFUSED|ENETUNREACH/);
    const setup = await run(probe, { network: true });
    assert.match(setup.output, /ECONNREFUSED|ENETUNREACH/);
    assert.match(setup.network ?? "", /egress proxy/);
    // The same probe from outside the sandbox connects (async: the server answering it lives in this process).
    const outside = await promisify(execFile)(NODE, ["-e", `require("net").connect(${port}, "127.0.0.1").on("data", (d) => { console.log(String(d).trim()); process.exit(0) })`]);
    assert.equal(outside.stdout.trim(), "hello");
  });

  it("kills the whole process tree at the time limit, including a detached background child", async () => {
    const script = "setsid sh -c 'touch /workspace/started; sleep 4; touch /workspace/survived' & while [ ! -f /workspace/started ]; do sleep 0.1; done; sleep 600";
    const result = await run(script, { timeoutMs: 3000 });
    assert.equal(result.timedOut, true);
    assert.equal(result.killedBy, "timeout");
    assert.equal(result.exitCode, null);
    assert.equal(await pathExists(join(ws, "started")), true);
    await sleep(5000);
    assert.equal(await pathExists(join(ws, "survived")), false);
  });

  it("limits memory: a hog fails while a modest allocation works", async () => {
    const ok = await run(node(`Buffer.alloc(64 * 1024 ** 2, 1); console.log("allocated")`));
    assert.equal(ok.exitCode, 0, ok.output);
    const hog = await run(node(`Buffer.alloc(3 * 1024 ** 3, 1); console.log("allocated")`));
    assert.notEqual(hog.exitCode, 0);
    assert.match(hog.output, /ERR_MEMORY_ALLOCATION_FAILED|allocation failed|out of memory/i);
    assert.doesNotMatch(hog.output, /allocated/);
  });

  it("stops a (bounded) fork bomb at the process limit and leaves nothing behind", async () => {
    const script = "i=0; while [ $i -lt 300 ]; do sleep 71.25 & i=$((i+1)); done; echo spawned-all";
    const result = await run(script, { timeoutMs: 120_000 });
    assert.equal(result.timedOut, false);
    assert.doesNotMatch(result.output, /spawned-all/);
    assert.match(result.output, /Cannot fork|Resource temporarily unavailable/);
    const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes("sleep 71.25"));
    assert.deepEqual(left, []);
  });

  it("caps output: keeps head and tail and kills a flood", async () => {
    const capped = createSandboxRunner({ mode: "bubblewrap", outputKeepBytes: 4096, outputMaxBytes: 1024 * 1024 });
    const result = await capped.run("echo FIRST-LINE; yes flood", { cwd: ws, timeoutMs: 60_000 });
    assert.equal(result.killedBy, "output");
    assert.equal(result.truncated, true);
    assert.ok(result.output.length < 4096 + 100, String(result.output.length));
    assert.match(result.output, /^FIRST-LINE\n/);
    assert.match(result.output, /bytes of output omitted/);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = run("sleep 600", { signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const result = await pending;
    assert.equal(result.killedBy, "aborted");
    assert.equal(result.timedOut, false);
  });

  it("refuses to run anything when bubblewrap is missing, naming the unsafe switch", async () => {
    const missing = createSandboxRunner({ mode: "bubblewrap", bwrapPath: "/nonexistent/bwrap" });
    const error = await missing.run("touch /workspace/ran", { cwd: ws, timeoutMs: 10_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof SandboxUnavailableError, String(error));
    assert.match(error.message, /not installed/);
    assert.match(error.hint, /JULES_SANDBOX=unsafe/);
    assert.equal(await pathExists(join(ws, "ran")), false);
  });

  it("unsafe mode runs without bubblewrap, with a cleared environment, and warns loudly", async () => {
    const warnings: string[] = [];
    const unsafe = createSandboxRunner({ mode: "unsafe", bwrapPath: "/nonexistent/bwrap", logger: { warn: (m) => warnings.push(m) } });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /WITHOUT a sandbox/);
    const result = await unsafe.run("echo ran; env", { cwd: ws, timeoutMs: 10_000 });
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /^ran$/m);
    assert.ok(!result.output.includes(CANARY));
    const slow = await unsafe.run("sleep 600", { cwd: ws, timeoutMs: 500 });
    assert.equal(slow.timedOut, true);
  });
});
