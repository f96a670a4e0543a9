import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { prepare, runTests, SetupFailedError } from "../../src/agent/test-phase.ts";
import type { TranscriptEntry } from "../../src/agent/transcript.ts";
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

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "jules-tests-"));
    await chmod(base, 0o711);
    dir = join(base, "repo");
    await promisify(execFile)("git", ["init", "-q", dir]);
    await writeFile(join(dir, "check.sh"), '[ -f installed.txt ] && echo "1 passed, 0 failed" || { echo "setup did not run"; exit 1; }\n');
    listener = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as { port: number }).port;
  });
  afterAll(async () => {
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

  it("gives the setup command public-only network when setup_network allows it (never the host's loopback), and reports a failed setup to the model under `on_setup_failure: continue`", async () => {
    // bash, not sh: dash has no /dev/tcp, so an sh version would fail with or without network.
    const direct = `bash -c '(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null' && echo reached || { echo unreachable; exit 7; }`;
    const closed = await prepare(options, dir, RepoConfigSchema.parse({ setup: direct, test: "true", setup_network: "none", on_setup_failure: "continue" }), progress);
    assert.match(closed ?? "", /failed \(exit code 7, without network[^)]*\)[\s\S]*unreachable/);
    // The default is public-only network for setup: the host's loopback stays unreachable.
    const byDefault = await prepare(options, dir, RepoConfigSchema.parse({ setup: direct, test: "true", on_setup_failure: "continue" }), progress);
    assert.match(byDefault ?? "", /failed \(exit code 7; network: public hosts only, through OpenJules's egress proxy/);
    // `true` is the old spelling of `public`: the host's loopback stays unreachable, and the note says what setup had.
    const publicOnly = await prepare(options, dir, RepoConfigSchema.parse({ setup: direct, test: "true", setup_network: true, on_setup_failure: "continue" }), progress);
    assert.match(publicOnly ?? "", /failed \(exit code 7; network: public hosts only, through OpenJules's egress proxy/);
    // Through the proxy, a server the operator allowlisted answers; what the proxy refused is named in the note.
    const allowing = createSandboxRunner({
      mode: "bubblewrap",
      limits: { memoryBytes: 2 * 1024 ** 3, processes: 128 },
      setupNetwork: { mode: "public", allowHosts: [`localhost:${port}`] },
    });
    // `--noproxy ""`: the sandbox's NO_PROXY keeps loopback names for the sandbox's own servers; here they must go to the proxy.
    const viaProxy = `curl -sS -f --noproxy "" http://localhost:${port}/ > installed.txt && curl -sS -f --noproxy "" http://127.0.0.1:${port}/`;
    const refused = await prepare(
      { ...options, runner: allowing },
      dir,
      RepoConfigSchema.parse({ setup: viaProxy, test: "true", setup_network: "public", on_setup_failure: "continue" }),
      progress,
    );
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

  it("says plainly, once, when no test command was found instead of skipping silently", async () => {
    const config = RepoConfigSchema.parse({});
    assert.equal(await prepare(options, dir, config, progress), null);
    const line = activity.at(-1)!;
    assert.match(
      line,
      /^no test command found \(nothing in the repository names one: no [^()]*package\.json test script[^()]*\); set `test:` in \.github\/jules\.yml to have changes tested$/,
    );
    assert.equal(line.split("no test command found").length, 2, `said once: ${line}`);
    const report = await runTests(options, dir, config);
    assert.deepEqual(report, { command: null, passed: null, summary: "" }, "the pull request's verdict says it; the output block stays empty");
  });

  it("stops before the model runs when setup fails: the command, its cleaned output's tail, what to do; the full output in the transcript", async () => {
    const logged: TranscriptEntry[] = [];
    const log = { record: (entry: TranscriptEntry) => void logged.push(entry), where: "the task's transcript" };
    const noisy = `for i in $(seq 1 80); do printf 'fetching %s\\r' $i; printf '\\033[33mwarn\\033[0m line %s\\n' $i; done; printf '\\033[31mnpm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad-x\\033[0m\\n'; exit 1`;
    const config = RepoConfigSchema.parse({ setup: noisy, test: "true", setup_network: "none" });
    const error = await prepare({ ...options, log }, dir, config, progress).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof SetupFailedError, String(error));
    assert.equal(
      error.message,
      `The setup command \`${noisy}\` failed (exit code 1, without network (\`setup_network: public\` in .github/jules.yml gives it public hosts)), so the agent did not start.`,
    );
    const lines = error.output!.split("\n");
    assert.equal(lines.at(-3), "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad-x");
    assert.equal(lines.at(-4), "warn line 80", "progress redraws collapsed, colours gone");
    assert.equal(lines.at(-1), "Full output (81 lines): the task's transcript.");
    assert.equal(lines.length, 30 + 2);
    assert.doesNotMatch(error.output!, /\x1b|\r/);
    assert.match(error.hint, /^Fix `setup:` in \.github\/jules\.yml .*`setup_network: public`.*JULES_SETUP_ALLOW_HOSTS.*`on_setup_failure: continue`.*`\/jules <what to do>`\.$/);
    const entry = logged.find((e) => e.type === "command");
    assert.ok(entry?.type === "command" && entry.purpose === "setup" && entry.exitCode === 1);
    assert.match(entry.output, /\x1b\[33mwarn\x1b\[0m line 1\n/, "the transcript keeps the output as it was");
  });

  it("reports a test command whose tool is missing as an environment problem, not as failing tests", async () => {
    const report = await runTests(options, dir, RepoConfigSchema.parse({ test: "pnpm test" }));
    assert.equal(report.passed, null);
    assert.equal(report.environment?.problem, "`pnpm` is not installed where OpenJules runs the repository's commands (exit code 127: /bin/sh: 1: pnpm: not found).");
    assert.match(report.environment?.hint ?? "", /JULES_SANDBOX_READONLY_PATHS.*`packageManager` in package\.json/);
    assert.equal(report.summary, "could not run (exit code 127)\n/bin/sh: 1: pnpm: not found");
  });
});
