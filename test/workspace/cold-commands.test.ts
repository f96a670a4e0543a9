import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { git } from "../../src/workspace/git.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { addCommits, gitOut } from "../helpers/git/repo.ts";
import { workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";
import { logGitCommands, type GitCommandLog } from "./git-command-log.ts";

/**
 * Issue 9: the cold path costs no more than `git clone --depth 1`, so it runs
 * few git commands and asks the server as little as a clone does: one ref
 * listing and one fetch. Every git command the workspace starts is logged
 * (git-command-log.ts).
 */

let log: GitCommandLog;
beforeAll(async () => {
  log = await logGitCommands();
});
afterAll(() => log.restore());

const commands = () => log.commands();
const resetLog = () => log.reset();
const count = (fx: WorkspaceFixture, command: string, from = 0) => fx.server.requests.slice(from).filter((r) => r.command === command).length;

describe("workspace: git commands and server requests of a checkout", { timeout: 120_000 }, () => {
  let fx: WorkspaceFixture;
  afterEach(() => fx.cleanup());

  it("cold, base named: no ls-remote, one ref listing and one fetch at the server, at most 8 git commands", async () => {
    fx = await workspaceFixture();
    await resetLog();
    const ws = await fx.manager.prepare(fx.request("t-cold"));
    try {
      const ran = await commands();
      assert.ok(ran.length <= 8, `${ran.length} git commands:\n${ran.join("\n")}`);
      assert.ok(!ran.some((c) => c.startsWith("ls-remote")), ran.join("\n"));
      assert.equal(ran.filter((c) => c.startsWith("ls-tree")).length, 1, "the size check lists the tree once");
      assert.equal(count(fx, "ls-refs"), 1);
      assert.equal(count(fx, "fetch"), 1);
      assert.equal(await readFile(join(ws.dir, "README.md"), "utf8"), "# Widget\n");
      assert.equal(await gitOut(ws.dir, "config", "checkout.workers"), "0", "parallel checkout");
    } finally {
      await ws.dispose();
    }
  });

  it("cold, a base that does not exist: named from the fetch's error, and no mirror is left", async () => {
    fx = await workspaceFixture();
    const error = await fx.manager.prepare(fx.request("t-none", { baseBranch: "nope" })).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error && /Branch nope does not exist in acme\/widget/.test(error.message), String(error));
    assert.equal((error as { code?: string }).code, "branch_not_found");
    const mirror = mirrorPath(fx.dataDir, fx.request("x"));
    assert.equal(await readFile(join(mirror, "HEAD"), "utf8").catch(() => "absent"), "absent");
  });

  it("warm, nothing moved: only the ls-remote reaches the server, and neither the size nor the tree is measured again", async () => {
    fx = await workspaceFixture();
    await (await fx.manager.prepare(fx.request("t1"))).dispose();
    const before = fx.server.requests.length;
    await resetLog();
    const ws = await fx.manager.prepare(fx.request("t2"));
    try {
      const ran = await commands();
      assert.ok(ran.length <= 6, `${ran.length} git commands:\n${ran.join("\n")}`);
      for (const name of ["count-objects", "ls-tree", "fetch", "rev-list"]) assert.ok(!ran.some((c) => c.startsWith(name)), `${name} ran:\n${ran.join("\n")}`);
      assert.equal(count(fx, "ls-refs", before), 1);
      assert.equal(count(fx, "fetch", before), 0);
    } finally {
      await ws.dispose();
    }
  });
});

describe("workspace: history is the tip, with the tip's tags", { timeout: 120_000 }, () => {
  let fx: WorkspaceFixture;
  afterEach(() => fx.cleanup());

  it("git describe names a tag on the tip; tags on older commits are not fetched", async () => {
    fx = await workspaceFixture();
    const served = fx.server.repoPath("acme", "widget");
    await git(["tag", "old-release", "main~1"], { cwd: served });
    await git(["-c", "user.name=R", "-c", "user.email=r@example.com", "tag", "-a", "-m", "release", "v1.2.0", "main"], { cwd: served });
    const ws = await fx.manager.prepare(fx.request("t-tag"));
    try {
      assert.equal(await gitOut(ws.dir, "describe", "--tags"), "v1.2.0");
      assert.equal(await gitOut(ws.dir, "tag", "--list"), "v1.2.0");
      assert.equal(await gitOut(ws.dir, "rev-parse", "--is-shallow-repository"), "true");
    } finally {
      await ws.dispose();
    }
    // A new untagged tip: describe has no name to give (documented), --always gives the commit.
    await addCommits(served, [{ files: { "NEW.md": "new\n" }, message: "after the release" }]);
    const next = await fx.manager.prepare(fx.request("t-next"));
    try {
      await assert.rejects(git(["describe", "--tags"], { cwd: next.dir }), /No names found|No tags can describe|cannot describe/);
      assert.equal(await gitOut(next.dir, "describe", "--tags", "--always"), (await gitOut(next.dir, "rev-parse", "HEAD")).slice(0, 7));
    } finally {
      await next.dispose();
    }
  });
});
