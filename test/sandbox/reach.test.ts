import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { prepare, runTests } from "../../src/agent/test-phase.ts";
import { taskRunner } from "../../src/agent/command-runner.ts";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { blockingParent } from "../../src/sandbox/ownership.ts";
import { bindSourceIndexes } from "../../src/sandbox/stage.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { WorkspaceManager } from "../../src/workspace/manager.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { TOKEN } from "../helpers/git/workspace-fixture.ts";

/**
 * Issue 9, "a checkout anywhere works": when the app runs as root the sandbox
 * runs as uid 65534, and a data directory under a directory that uid cannot
 * enter (/root is 0700, a 0700 home, `mktemp -d`) made every repository
 * command fail with "bwrap: Can't find source path … Permission denied".
 * Real worktrees, real bwrap, the real setup and test phase; and setup's
 * network forwarder run from a Node binary inside a 0700 directory.
 */

const exec = promisify(execFile);
const asRoot = process.getuid?.() === 0;
const progress = { activity: () => undefined, usage: () => undefined };
const config = RepoConfigSchema.parse({ setup: "mkdir -p ~/.cache/deps && echo installed > ~/.cache/deps/marker && cat ./marker-src", test: "sh ./check.sh" });
const commits = [
  {
    files: {
      "marker-src": "from the worktree\n",
      "check.sh":
        '[ -f "$HOME/.cache/deps/marker" ] || { echo "FAIL: no setup marker in HOME"; exit 1; }\ngrep -q "answer = 42" src/index.js && echo "1 passed" || { echo "FAIL: answer is wrong"; exit 1; }\n',
      "src/index.js": "export const answer = 41;\n",
    },
    message: "initial",
  },
];

/** Two layouts the sandbox user cannot enter: a fresh `mktemp -d` (0700) holding the data directory, and /root's case (a 0700 directory with the data directory nested deeper). */
const LAYOUTS: { name: string; make(): Promise<{ base: string; dataDir: string }> }[] = [
  {
    name: "under a fresh mktemp -d (0700)",
    async make() {
      const base = await mkdtemp(join(tmpdir(), "openjules-0700-"));
      return { base, dataDir: join(base, "jules-data") };
    },
  },
  {
    name: "nested in a 0700 directory like /root",
    async make() {
      const base = await mkdtemp(join(tmpdir(), "openjules-rootlike-"));
      await chmod(base, 0o755);
      const root = join(base, "root");
      await mkdir(join(root, "src", "openjules"), { recursive: true, mode: 0o755 });
      await chmod(root, 0o700);
      return { base, dataDir: join(root, "src", "openjules", ".jules-data") };
    },
  },
];

for (const layout of LAYOUTS) {
  describe(`sandbox: a data directory ${layout.name} (real bwrap, real worktree)`, () => {
    let server: GitServer;
    let base: string;
    let dataDir: string;
    let ws: Workspace;
    const runner = createSandboxRunner({ mode: "bubblewrap" });

    beforeAll(async () => {
      server = await startGitServer({ tokens: [TOKEN] });
      const url = await server.createRepo("acme", "widget", commits);
      ({ base, dataDir } = await layout.make());
      const manager = new WorkspaceManager({ dataDir, cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3 });
      ws = await manager.prepare({ taskId: "t-reach", cloneUrl: url, owner: "acme", repo: "widget", baseBranch: "main", token: async () => TOKEN });
    });
    afterAll(async () => {
      await ws?.dispose();
      await server?.close();
      await rm(base, { recursive: true, force: true });
    });

    it("the sandbox user really cannot enter it (so the test could fail)", { skip: !asRoot }, async () => {
      assert.notEqual(await blockingParent(ws.dir, 65534, 65534), null);
      const { stdout } = await exec("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "sh", "-c", `ls ${ws.dir} 2>&1 || true`]);
      assert.match(stdout, /Permission denied/);
    });

    it("setup, the run tool's commands and the real test phase run in the task's worktree and HOME", async () => {
      // The runner every command of a task goes through (agent.ts): the task's HOME on every command.
      const task = taskRunner(runner, { home: ws.homeDir, env: {} });
      const options = { runner: task, timeoutMs: 60_000, fixRounds: 0 };
      assert.equal(await prepare(options, ws.dir, config, progress), null, "setup succeeded");
      assert.equal(await readFile(join(ws.homeDir, ".cache/deps/marker"), "utf8"), "installed\n");

      const failing = await runTests(options, ws.dir, config);
      assert.equal(failing.passed, false, failing.summary);
      assert.match(failing.summary, /FAIL: answer is wrong/);

      // What the agent's run tool does: a command in the worktree with the task's HOME.
      const edit = await task.run("id -u && cat ~/.cache/deps/marker && sed -i 's/41/42/' src/index.js", { cwd: ws.dir, timeoutMs: 60_000 });
      assert.equal(edit.exitCode, 0, edit.output);
      assert.deepEqual(edit.output.trim().split("\n"), ["65534", "installed"]);
      assert.equal(await readFile(join(ws.dir, "src/index.js"), "utf8"), "export const answer = 42;\n");

      const passing = await runTests(options, ws.dir, config);
      assert.equal(passing.passed, true, passing.summary);
    });

    it("staging changes nothing on the host and shows nothing of itself inside", async () => {
      const inside = await runner.run("cat /proc/self/mountinfo; ls /run 2>&1", { cwd: ws.dir, timeoutMs: 60_000 });
      assert.doesNotMatch(inside.output, /openjules-stage/);
      assert.match(inside.output, / \/workspace rw,/);
      assert.doesNotMatch(await readFile("/proc/self/mountinfo", "utf8"), /openjules-stage/, "no staging mount left on the host");
    });
  });
}

describe("sandbox: setup's network forwarder runs from a Node binary inside a 0700 directory", () => {
  let base: string;
  let dataBase: string;
  let node: string;
  let allowed: Server;
  let port: number;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "openjules-node-0700-"));
    await mkdir(join(base, "bin"));
    node = join(base, "bin", "node");
    await copyFile(process.execPath, node);
    await chmod(node, 0o755);
    // The data directory is reachable here, so only the Node binary's location is under test.
    dataBase = await mkdtemp(join(tmpdir(), "openjules-node-data-"));
    await chmod(dataBase, 0o711);
    allowed = createServer((req, res) => res.end(`allowed-registry ${req.method} ${req.url}`));
    port = await new Promise<number>((resolve) => allowed.listen(0, "127.0.0.1", () => resolve((allowed.address() as { port: number }).port)));
  });
  afterAll(async () => {
    await new Promise((resolve) => allowed.close(resolve));
    await rm(base, { recursive: true, force: true });
    await rm(dataBase, { recursive: true, force: true });
  });

  it("a setup with network reaches an allowlisted registry through the egress proxy", async () => {
    if (asRoot) assert.notEqual(await blockingParent(node, 65534, 65534), null, "the copied node is out of uid 65534's reach");
    const child = join(import.meta.dirname, "..", "helpers", "reach-child.ts");
    const { stdout } = await exec(node, [child, String(port), dataBase], { timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split("\n").at(-1) as string) as { exitCode: number; output: string; network?: string };
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /allowed-registry GET \/from-setup/);
    assert.match(result.network ?? "", /egress proxy/);
  });
});

describe("sandbox: staging reads bwrap's command line by each option's arity", () => {
  it('finds every bind source, and never takes an option\'s value (an env value "--bind") for an option', () => {
    const argv = [
      "bwrap",
      "--unshare-all",
      "--setenv",
      "X",
      "--bind",
      "--ro-bind",
      "/usr",
      "/usr",
      "--ro-bind-try",
      "/opt/go",
      "/opt/go",
      "--bind",
      "/data/w",
      "/workspace",
      "--tmpfs",
      "/tmp",
      "--",
      "sh",
      "--bind",
      "/etc",
      "/x",
    ];
    assert.deepEqual(
      bindSourceIndexes(argv, 1).map((i) => argv[i]),
      ["/usr", "/opt/go", "/data/w"],
    );
  });
  it("refuses an option it does not know rather than guess", () => {
    assert.throws(() => bindSourceIndexes(["bwrap", "--overlay-src", "/x", "--bind", "/a", "/b"], 1), /does not know the bwrap option "--overlay-src"/);
  });
});
