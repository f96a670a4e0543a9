import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { resolveTestCommands } from "../../src/sandbox/test-commands.ts";
import type { Workspace } from "../../src/workspace/index.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { filesContaining, TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

const commits = [
  {
    files: {
      "check.sh": 'grep -q "answer = 42" src/index.js && echo "1 passed" || { echo "FAIL: answer is wrong"; exit 1; }\n',
      "src/index.js": "export const answer = 41;\n",
    },
  },
];

describe("sandbox + workspace: repository code runs against a real task worktree", () => {
  let fx: WorkspaceFixture;
  let ws: Workspace;
  const runner = createSandboxRunner({ mode: "bubblewrap" });
  before(async () => {
    fx = await workspaceFixture({}, commits);
    ws = await fx.manager.prepare(fx.request("t-int"));
  });
  after(async () => {
    await ws.dispose();
    await fx.cleanup();
  });

  it("detects and runs the tests, sees the failure, and passes after an edit the app then commits", async () => {
    const commands = await resolveTestCommands(ws.dir, { setup: undefined, test: "sh ./check.sh" });
    assert.equal(commands.source, "config");
    const failing = await runner.run(commands.test ?? "", { cwd: ws.dir, timeoutMs: 60_000, home: ws.homeDir });
    assert.equal(failing.exitCode, 1);
    assert.match(failing.output, /FAIL: answer is wrong/);

    const edit = await runner.run("sed -i 's/41/42/' src/index.js && echo built > build.log", { cwd: ws.dir, timeoutMs: 60_000, home: ws.homeDir });
    assert.equal(edit.exitCode, 0, edit.output);
    const passing = await runner.run(commands.test ?? "", { cwd: ws.dir, timeoutMs: 60_000, home: ws.homeDir });
    assert.equal(passing.exitCode, 0, passing.output);

    await ws.createBranch("Fix the answer", 5);
    const { sha } = await ws.commit({ subject: "Fix the answer", body: "The test expects 42.", bot: { slug: "openjules", userId: 1 } });
    assert.ok(sha);
    assert.deepEqual((await ws.diff()).files.map((f) => f.path).sort(), ["build.log", "src/index.js"]);
    assert.equal(await readFile(join(ws.dir, "src/index.js"), "utf8"), "export const answer = 42;\n");
  });

  it("repository code cannot reach the mirror, its config or the token", async () => {
    const mirror = mirrorPath(fx.dataDir, fx.request("x"));
    const script = `ls ${fx.dataDir} 2>&1; cat ${mirror}/config 2>&1; echo x >> ${mirror}/config 2>&1; cat /workspace/.git; git -C /workspace log -1 2>&1; env`;
    const result = await runner.run(script, { cwd: ws.dir, timeoutMs: 60_000, home: ws.homeDir });
    assert.match(result.output, /No such file or directory/);
    assert.doesNotMatch(result.output, /remote "origin"/);
    assert.ok(!result.output.includes(TOKEN));
    assert.equal(await gitOut(mirror, "config", "remote.origin.url"), fx.url);
    assert.deepEqual(await filesContaining(fx.dataDir, TOKEN), []);
  });
});
