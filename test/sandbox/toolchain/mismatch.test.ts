import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { taskRunner } from "../../../src/agent/command-runner.ts";
import { prepare, runTests, SetupFailedError } from "../../../src/agent/test-phase.ts";
import { RepoConfigSchema } from "../../../src/config/repo-config.ts";
import { createSandboxRunner } from "../../../src/sandbox/runner.ts";
import { goToolchain } from "../../helpers/toolchains.ts";
import { tempDir } from "../../helpers/git/workspace-fixture.ts";

/**
 * Python's requires-python and Go's go directive against what the real
 * sandbox has (python3 and go from the system, never installed by
 * OpenJules): a mismatch is named in the status, and tests that then fail
 * are an environment problem, not failing code; a declaration that is met is
 * named with the version, and passing tests stay passing. The declared
 * versions are computed from the sandbox's own, so the test means the same
 * on any machine.
 */

const run = promisify(execFile);

describe("sandbox: Python and Go toolchain mismatches are named", { timeout: 120_000 }, () => {
  let base: string;
  let sandbox: ReturnType<typeof createSandboxRunner>;
  let python: [number, number];
  let go: [number, number];
  let node: number;
  beforeAll(async () => {
    base = await tempDir("openjules-mismatch-");
    sandbox = createSandboxRunner({ mode: "bubblewrap", extraReadOnly: (await goToolchain()).extraReadOnly });
    const scratch = join(base, "probe");
    await run("git", ["init", "-q", scratch]);
    const out = (await sandbox.run("python3 --version; go version; node --version", { cwd: scratch, timeoutMs: 30_000 })).output;
    node = Number(/^v(\d+)\./m.exec(out)![1]);
    python = /Python (\d+)\.(\d+)/.exec(out)!.slice(1).map(Number) as [number, number];
    go = /go(\d+)\.(\d+)/.exec(out)!.slice(1).map(Number) as [number, number];
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  async function repository(name: string, files: Record<string, string>) {
    const dir = join(base, name);
    const home = join(base, `${name}-home`);
    await run("git", ["init", "-q", dir]);
    await mkdir(home, { mode: 0o700 });
    for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
    const activity: string[] = [];
    const options = { runner: taskRunner(sandbox, { home, env: {} }), timeoutMs: 90_000, fixRounds: 0 };
    return { dir, activity, options, progress: { activity: (line: string) => void activity.push(line), usage: () => undefined } };
  }

  it("requires-python newer than the sandbox's python3: named, and failing tests are an environment problem", async () => {
    const wants = `>=${python[0]}.${python[1] + 1}`;
    const repo = await repository("py-new", { "pyproject.toml": `[project]\nname = "x"\nversion = "0"\nrequires-python = "${wants}"\n` });
    const config = RepoConfigSchema.parse({ test: "python3 -c 'import sys; print(sys.version); sys.exit(1)'" });
    assert.equal(await prepare(repo.options, repo.dir, config, repo.progress), null);
    const problem = `Python ${python[0]}.${python[1]}.`;
    const line = repo.activity.find((l) => l.startsWith(problem));
    assert.match(
      line ?? "",
      new RegExp(`^Python ${python[0]}\\.${python[1]}\\.\\d+ in the sandbox does not meet ${wants.replace(".", "\\.")} \\(requires-python in pyproject\\.toml\\)\\.$`),
      repo.activity.join("\n"),
    );
    const report = await runTests(repo.options, repo.dir, config);
    assert.equal(report.passed, null, "not reported as failing code");
    assert.match(report.environment?.problem ?? "", /does not meet .* The tests failed \(exit code 1\), which may be why\./);
    assert.match(report.environment?.hint ?? "", /Install a Python that meets it on the worker/);
  });

  it("requires-python that the sandbox meets: named with its version, and passing tests pass", async () => {
    const repo = await repository("py-ok", { "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.0"\n' });
    const config = RepoConfigSchema.parse({ test: "python3 -c 'print(1)'" });
    await prepare(repo.options, repo.dir, config, repo.progress);
    assert.ok(
      repo.activity.some((l) => new RegExp(`^Python ${python[0]}\\.${python[1]}\\.\\d+ \\(requires-python in pyproject\\.toml: >=3\\.0\\)$`).test(l)),
      repo.activity.join("\n"),
    );
    const report = await runTests(repo.options, repo.dir, config);
    assert.equal(report.passed, true, report.summary);
    assert.equal(report.environment, undefined);
  });

  it("a go directive newer than the sandbox's go: named, and failing tests are an environment problem (Go never downloads a toolchain)", async () => {
    const wants = `1.${go[1] + 3}`;
    const repo = await repository("go-new", {
      "go.mod": `module example.com/m\n\ngo ${wants}\n`,
      "m.go": "package m\n\nfunc Three() int { return 3 }\n",
      "m_test.go": 'package m\n\nimport "testing"\n\nfunc TestThree(t *testing.T) { if Three() != 4 { t.Fatal("want 4") } }\n',
    });
    const config = RepoConfigSchema.parse({ test: "go test ./..." });
    await prepare(repo.options, repo.dir, config, repo.progress);
    assert.ok(
      repo.activity.some((l) =>
        new RegExp(`^Go ${go[0]}\\.${go[1]}(\\.\\d+)? in the sandbox does not meet ${wants.replace(".", "\\.")} \\(the go directive in go\\.mod\\)\\.$`).test(l),
      ),
      repo.activity.join("\n"),
    );
    const report = await runTests(repo.options, repo.dir, config);
    assert.equal(report.passed, null, report.summary);
    assert.match(report.environment?.problem ?? "", new RegExp(`^Go .* does not meet ${wants.replace(".", "\\.")} .* The tests failed \\(exit code \\d+\\), which may be why\\.$`));
    assert.match(report.environment?.hint ?? "", /GOTOOLCHAIN=local/);
    assert.doesNotMatch(report.summary, /downloading|go: download/i);
  });

  it("a declared Node the sandbox lacks, with setup_network: none: an environment problem saying setup has no network, before the agent starts", async () => {
    const repo = await repository("node-offline", { ".node-version": `${node + 2}\n`, "package.json": '{ "scripts": { "test": "node -v" } }' });
    const config = RepoConfigSchema.parse({ test: "npm test", setup_network: "none" });
    const refused = await prepare(repo.options, repo.dir, config, repo.progress).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof SetupFailedError, String(refused));
    assert.ok(
      refused.message.startsWith(
        `Node ${node + 2} could not be installed into the task's environment: setup has no network (\`setup_network\` in .github/jules.yml), and the sandbox's Node does not meet it.`,
      ),
      refused.message,
    );
    assert.match(refused.message, new RegExp(`The commands run with Node ${node}\\.\\d+\\.\\d+, the sandbox's own\\. So the agent did not start\\.$`));
    assert.match(refused.hint ?? "", /setup_network: public/);
  });
});
