import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { prepare, runTests } from "../../src/agent/test-phase.ts";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { createSandboxRunner, resolveTestCommands } from "../../src/sandbox/index.ts";

/** Setup and tests through the real sandbox: commands chosen and reported, setup run once, network only for setup when allowed. */
describe("the setup and test commands of execution", { timeout: 120_000 }, () => {
  let base: string;
  let dir: string;
  let listener: Server;
  let port = 0;
  const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 128 } });
  const activity: string[] = [];
  const progress = { activity: (line: string) => void activity.push(line), usage: () => undefined };
  const options = { runner, detectCommands: resolveTestCommands, timeoutMs: 60_000, fixRounds: 0 };

  before(async () => {
    base = await mkdtemp(join(tmpdir(), "jules-tests-"));
    await chmod(base, 0o711);
    dir = join(base, "repo");
    await promisify(execFile)("git", ["init", "-q", dir]);
    await writeFile(join(dir, "check.sh"), '[ -f installed.txt ] && echo "1 passed, 0 failed" || { echo "setup did not run"; exit 1; }\n');
    listener = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    await rm(base, { recursive: true, force: true });
  });

  it("runs the configured setup once, says which test command was chosen and why, then the tests pass", async () => {
    const config = RepoConfigSchema.parse({ setup: "echo deps > installed.txt", test: "sh check.sh" });
    assert.equal(await prepare(options, dir, config, progress), null);
    assert.equal(await readFile(join(dir, "installed.txt"), "utf8"), "deps\n");
    assert.match(activity.at(-1)!, /tests: `sh check\.sh` \(.*jules\.yml.*\)/);
    const report = await runTests(options, dir, config);
    assert.equal(report.passed, true, report.summary);
    assert.equal(report.command, "sh check.sh");
  });

  it("gives the setup command public-only network when setup_network allows it (never the host's loopback), and reports a failed setup to the model", async () => {
    // bash, not sh: dash has no /dev/tcp, so an sh version would fail with or without network.
    const direct = `bash -c '(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null' && echo reached || { echo unreachable; exit 7; }`;
    const closed = await prepare(options, dir, RepoConfigSchema.parse({ setup: direct, test: "true", setup_network: "none" }), progress);
    assert.match(closed ?? "", /failed \(exit code 7, without network[^)]*\)[\s\S]*unreachable/);
    // The default is public-only network for setup: the host's loopback stays unreachable.
    const byDefault = await prepare(options, dir, RepoConfigSchema.parse({ setup: direct, test: "true" }), progress);
    assert.match(byDefault ?? "", /failed \(exit code 7; network: public hosts only, through OpenJules's egress proxy/);
    // `true` is the old spelling of `public`: the host's loopback stays unreachable, and the note says what setup had.
    const publicOnly = await prepare(options, dir, RepoConfigSchema.parse({ setup: direct, test: "true", setup_network: true }), progress);
    assert.match(publicOnly ?? "", /failed \(exit code 7; network: public hosts only, through OpenJules's egress proxy/);
    // Through the proxy, a server the operator allowlisted answers; what the proxy refused is named in the note.
    const allowing = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 128 }, setupNetwork: { mode: "public", allowHosts: [`localhost:${port}`] } });
    // `--noproxy ""`: the sandbox's NO_PROXY keeps loopback names for the sandbox's own servers; here they must go to the proxy.
    const viaProxy = `curl -sS -f --noproxy "" http://localhost:${port}/ > installed.txt && curl -sS -f --noproxy "" http://127.0.0.1:${port}/`;
    const refused = await prepare({ ...options, runner: allowing }, dir, RepoConfigSchema.parse({ setup: viaProxy, test: "true", setup_network: "public" }), progress);
    assert.equal(await readFile(join(dir, "installed.txt"), "utf8"), "ok");
    assert.match(refused ?? "", /refused: 127\.0\.0\.1:\d+: 127\.0\.0\.1 is loopback/);
    await rm(join(dir, "installed.txt"));
  });

  it("tests never have network, whatever setup_network says: no proxy, no DNS, no loopback of the host", async () => {
    const probe = `env | grep -i proxy; getent hosts registry.npmjs.org || echo NO-DNS; bash -c '(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null' && echo REACHED || echo NO-LOOPBACK; exit 3`;
    const started = Date.now();
    const report = await runTests(options, dir, RepoConfigSchema.parse({ test: probe, setup_network: "public" }));
    assert.equal(report.passed, false);
    assert.match(report.summary, /NO-DNS/);
    assert.match(report.summary, /NO-LOOPBACK/);
    assert.doesNotMatch(report.summary, /REACHED|_proxy=|_PROXY=/);
    assert.ok(Date.now() - started < 20_000, "a name lookup without network fails at once instead of hanging");
  });

  it("says plainly when no test command was found instead of skipping silently", async () => {
    const config = RepoConfigSchema.parse({});
    assert.equal(await prepare(options, dir, config, progress), null);
    assert.match(activity.at(-1)!, /^no test command found/);
    const report = await runTests(options, dir, config);
    assert.equal(report.passed, null);
    assert.match(report.summary, /no test command found/);
  });
});
