import assert from "node:assert/strict";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, it } from "vitest";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { pathExists, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

async function registeredWorktrees(fx: WorkspaceFixture): Promise<string[]> {
  const list = await gitOut(mirrorPath(fx.dataDir, fx.request("x")), "worktree", "list", "--porcelain");
  return list
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length));
}

describe("workspace: dispose", () => {
  let fx: WorkspaceFixture;
  afterEach(() => fx.cleanup());

  it("removes the worktree, its registration, the task's HOME and local branch (no recycling)", async () => {
    fx = await workspaceFixture({ sparesPerRepo: 0 });
    const ws = await fx.manager.prepare(fx.request("t1"));
    const branch = await ws.createBranch("Something", 3);
    await writeFile(join(ws.homeDir, "cache"), "x");
    assert.ok((await registeredWorktrees(fx)).includes(ws.dir));
    await ws.dispose();
    await ws.dispose(); // idempotent
    assert.equal(await pathExists(ws.dir), false);
    assert.equal(await pathExists(ws.homeDir), false);
    assert.ok(!(await registeredWorktrees(fx)).includes(ws.dir));
    const mirror = mirrorPath(fx.dataDir, fx.request("x"));
    assert.equal(await gitOut(mirror, "for-each-ref", `refs/heads/${branch}`), "");
  });

  it("parks at most one clean spare and removes the task directory", async () => {
    fx = await workspaceFixture();
    const a = await fx.manager.prepare(fx.request("ta"));
    const b = await fx.manager.prepare(fx.request("tb"));
    await a.dispose();
    await b.dispose();
    assert.equal(await pathExists(a.dir), false);
    assert.equal(await pathExists(b.dir), false);
    const worktrees = (await registeredWorktrees(fx)).filter((w) => w.includes("/spares/"));
    assert.equal(worktrees.length, 1);
    assert.equal(await gitOut(worktrees[0] ?? "", "status", "--porcelain", "--ignored"), "");
  });

  it("still removes everything after repository code left an unreadable directory and a broken .git", async () => {
    fx = await workspaceFixture();
    const ws = await fx.manager.prepare(fx.request("t1"));
    await mkdir(join(ws.dir, "locked/inner"), { recursive: true });
    await writeFile(join(ws.dir, "locked/inner/file"), "x");
    await chmod(join(ws.dir, "locked/inner"), 0);
    await chmod(join(ws.dir, "locked"), 0);
    await rm(join(ws.dir, ".git"));
    await ws.dispose();
    assert.equal(await pathExists(ws.dir), false);
    assert.ok(!(await registeredWorktrees(fx)).some((w) => w === ws.dir));
    // And the repository still works for the next task.
    const next = await fx.manager.prepare(fx.request("t2"));
    assert.equal(await gitOut(next.dir, "status", "--porcelain"), "");
    await next.dispose();
  });

  it("a leftover working copy of a crashed run of the same task is replaced", async () => {
    fx = await workspaceFixture({ sparesPerRepo: 0 });
    const ws = await fx.manager.prepare(fx.request("t1"));
    await writeFile(join(ws.dir, "half-done.txt"), "crash");
    // No dispose: the process died. The task resumes with the same id.
    const again = await fx.manager.prepare(fx.request("t1"));
    try {
      assert.equal(again.dir, ws.dir);
      assert.equal(await pathExists(join(again.dir, "half-done.txt")), false);
    } finally {
      await again.dispose();
    }
  });
});
