import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { gitOut, type CommitSpec } from "../helpers/git/repo.ts";
import { filesContaining, TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

/** Repository commands see the task's own history read-only (a real mirror, worktree and sandbox). */
const commits: CommitSpec[] = [
  {
    files: {
      "src/index.js": "export const answer = 41;\n",
      "package.json": JSON.stringify({
        name: "fixture",
        version: "1.0.0",
        scripts: { prepare: "git rev-parse --is-inside-work-tree && git describe --always --dirty > described.txt" },
      }),
    },
    message: "first",
  },
  { files: { "README.md": "# Widget\n" }, message: "second commit" },
];

describe("git inside the sandbox: the task's repository, read-only", { timeout: 180_000 }, () => {
  let fx: WorkspaceFixture;
  let ws: Workspace;
  let mirror: string;
  const runner = createSandboxRunner({ mode: "bubblewrap" });
  const sh = (command: string) => runner.run(command, { cwd: ws.dir, timeoutMs: 60_000, home: ws.homeDir });
  const hostState = async () => ({
    refs: await gitOut(mirror, "for-each-ref", "--format=%(objectname) %(refname)"),
    config: await readFile(join(mirror, "config"), "utf8"),
    head: await gitOut(ws.dir, "rev-parse", "HEAD"),
    status: await gitOut(ws.dir, "status", "--porcelain"),
    pointer: await readFile(join(ws.dir, ".git"), "utf8"),
  });

  beforeAll(async () => {
    fx = await workspaceFixture({}, commits);
    const other = await fx.manager.prepare(fx.request("t-other"));
    await other.createBranch("Another task", 4);
    ws = await fx.manager.prepare(fx.request("t-git"));
    mirror = mirrorPath(fx.dataDir, fx.request("t-git"));
    await ws.createBranch("Fix the answer", 3);
  });
  afterAll(async () => {
    await ws.dispose();
    await fx.cleanup();
  });

  it("git log, describe, status and diff work, from the root and a subdirectory", async () => {
    await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
    const result = await sh(
      "git log -1 --format=%s && git describe --always && git rev-parse --abbrev-ref HEAD && git status --porcelain && git diff --stat && cd src && git rev-list --count HEAD",
    );
    assert.equal(result.exitCode, 0, result.output);
    const [subject, described, branch, status, ...rest] = result.output.trim().split("\n");
    assert.equal(subject, "second commit");
    assert.match(described ?? "", /^[0-9a-f]{7,}$/);
    assert.equal(branch, ws.branch);
    assert.equal(status, " M src/index.js");
    assert.match(rest.join("\n"), /src\/index\.js \| 2 \+-/);
    assert.equal(rest.at(-1), await gitOut(ws.dir, "rev-list", "--count", "HEAD"), "the same history as the host's worktree");
  });

  it("an npm prepare script that calls git works", async () => {
    const result = await sh("npm install --offline --no-audit --no-fund 2>&1 && cat described.txt");
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /^[0-9a-f]{7,}-dirty$/m);
  });

  it("a hook installer in prepare works (lefthook install writes hooks/ and info/), and what it wrote vanishes", async () => {
    const before = await hostState();
    const install =
      'for d in hooks info; do p=$(git rev-parse --git-path $d) && mkdir -p "$p" || exit 1; done; printf "#!/bin/sh\\nexit 0\\n" > "$(git rev-parse --git-path hooks)/pre-commit" && echo sum > "$(git rev-parse --git-path info)/lefthook.checksum" && ls "$(git rev-parse --git-path hooks)"';
    const result = await sh(`${install} 2>&1`);
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /^pre-commit$/m);
    const again = await sh("ls /run/openjules/git/hooks /run/openjules/git/info 2>&1");
    assert.doesNotMatch(again.output, /pre-commit|lefthook/, "a later command sees none of it");
    assert.deepEqual(await hostState(), before, "the host's mirror and worktree are unchanged");
  });

  it("writes fail or vanish: commit, config, tag, branch, the view's files; the host's mirror and worktree are unchanged; no remote, no token", async () => {
    const before = await hostState();
    const attempts = [
      "git -c user.name=x -c user.email=x@x commit -qam hijack",
      "git config core.hooksPath /tmp/hooks",
      "git config --worktree core.fsmonitor 'touch /tmp/pwn'",
      "git tag v9",
      "git branch other",
      "git update-ref refs/heads/main HEAD",
      "echo x > /run/openjules/git/HEAD",
      "echo '[filter \"x\"] smudge = touch /tmp/pwn' >> /run/openjules/git/config",
      "touch /run/openjules/git/objects/evil",
      "rm -f .git",
      "echo 'gitdir: /tmp' > .git",
    ];
    for (const attempt of attempts) {
      const result = await sh(`${attempt} 2>&1`);
      assert.notEqual(result.exitCode, 0, `${attempt} should fail:\n${result.output}`);
    }
    const seen = await sh("cat /run/openjules/git/config /run/openjules/git/packed-refs; git config --list --show-origin; git remote -v; env");
    assert.doesNotMatch(seen.output, /remote|url =|origin|extraheader/i);
    // Refs: the task's own branch (and tags) only, never the other tasks' branches in the mirror.
    const refs = await sh("cat /run/openjules/git/packed-refs");
    assert.deepEqual(
      refs.output
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[1]),
      [`refs/heads/${ws.branch}`],
    );
    assert.ok(!seen.output.includes(TOKEN));
    assert.ok(!seen.output.includes(fx.url));
    const after = await hostState();
    assert.deepEqual({ ...after, status: undefined }, { ...before, status: undefined });
    assert.equal(after.status, before.status);
    assert.deepEqual(await filesContaining(fx.dataDir, TOKEN), []);
  });
});
