import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, it } from "vitest";
import { git, gitEnv } from "../../src/workspace/git.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { parseLsRemote } from "../../src/workspace/remote-heads.ts";
import { addCommits, configureLikeGitHub, gitOut, type CommitSpec } from "../helpers/git/repo.ts";
import { tempDir, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

/**
 * Issue 9: the first task's checkout costs no more than `git clone --depth 1`
 * and every object fetch is a batch. Counted at the real smart-HTTP server:
 * one upload-pack `fetch` per batch. A repository whose served history is
 * itself shallow (a mirror of a shallow clone) made the old partial mirror
 * fetch missing commits one lazy request at a time, without end.
 */

const fetches = (fx: WorkspaceFixture, from = 0) => fx.server.requests.slice(from).filter((r) => r.service === "git-upload-pack" && r.command === "fetch").length;
const uploadPackRequests = (fx: WorkspaceFixture, from = 0) => fx.server.requests.slice(from).filter((r) => r.service === "git-upload-pack").length;

function history(commits: number, files: number): CommitSpec[] {
  return Array.from({ length: commits }, (_, c) => {
    const changed: Record<string, string> = {};
    for (let i = 0; i < files; i++) if (c === 0 || i % commits === c) changed[`src/d${i % 7}/f${i}.txt`] = `commit ${c} file ${i}\n`;
    if (c === 0) changed["README.md"] = "# Widget\n";
    return { files: changed, message: `commit ${c}` };
  });
}

/** A local clone of a repository on disk, which the workspace's git refuses (file protocol): plain execFile, test setup only. */
const localClone = (args: string[], cwd: string) => promisify(execFile)("git", ["-c", "protocol.file.allow=always", "clone", ...args], { cwd, env: gitEnv() });

/** Replaces the served repository by a shallow clone (depth 3) of itself, as a mirror of a shallow clone is served. */
async function serveShallow(fx: WorkspaceFixture): Promise<void> {
  const served = fx.server.repoPath(fx.owner, fx.repo);
  const scratch = await tempDir("openjules-shallow-src-");
  try {
    const full = join(scratch, "full.git");
    await localClone(["--quiet", "--bare", `file://${served}`, full], scratch);
    await rm(served, { recursive: true, force: true });
    await localClone(["--quiet", "--bare", "--depth", "3", "--no-single-branch", `file://${full}`, served], scratch);
    await configureLikeGitHub(served);
    assert.equal(await gitOut(served, "rev-parse", "--is-shallow-repository"), "true");
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

describe("workspace: a cold checkout is a few batched fetches", { timeout: 120_000 }, () => {
  let fx: WorkspaceFixture;
  afterEach(() => fx.cleanup());

  it("a repository served with shallow history checks out in at most 5 fetches, and the workspace is usable", async () => {
    fx = await workspaceFixture({ fetchTimeoutMs: 20_000 }, history(12, 60));
    await serveShallow(fx);
    const ws = await fx.manager.prepare(fx.request("t-shallow"));
    try {
      assert.ok(fetches(fx) <= 5, `${fetches(fx)} upload-pack fetches`);
      assert.ok(uploadPackRequests(fx) <= 10, `${uploadPackRequests(fx)} upload-pack requests`);
      assert.equal(await readFile(join(ws.dir, "README.md"), "utf8"), "# Widget\n");
      assert.equal(await readFile(join(ws.dir, "src/d0/f7.txt"), "utf8"), "commit 7 file 7\n");
      assert.equal(await gitOut(ws.dir, "status", "--porcelain"), "");
      // Usable: a branch, a commit and the diff against the base work.
      await ws.createBranch("Fix the widget", 9);
      await writeFile(join(ws.dir, "src/d0/f0.txt"), "changed\n");
      await git(["-c", "user.name=Jules", "-c", "user.email=jules@example.com", "commit", "--quiet", "-am", "Change f0"], { cwd: ws.dir });
      const diff = await ws.diff();
      assert.deepEqual(
        diff.files.map((f) => f.path),
        ["src/d0/f0.txt"],
      );
      assert.deepEqual(diff.commitMessages, ["Change f0"]);
      // And the push from the tip-only mirror carries the commit (its parent is the served tip).
      const branch = ws.branch ?? "";
      await ws.push(branch, ws.createdBranches);
      assert.equal(await gitOut(fx.server.repoPath("acme", "widget"), "rev-parse", `refs/heads/${branch}`), await gitOut(ws.dir, "rev-parse", "HEAD"));
    } finally {
      await ws.dispose();
    }
  });

  it("a normal repository: the cold checkout is one fetch of the tip, not the history", async () => {
    fx = await workspaceFixture({}, history(30, 200));
    const ws = await fx.manager.prepare(fx.request("t-cold"));
    try {
      assert.ok(fetches(fx) <= 2, `${fetches(fx)} upload-pack fetches`);
      assert.ok(uploadPackRequests(fx) <= 6, `${uploadPackRequests(fx)} upload-pack requests`);
      const mirror = mirrorPath(fx.dataDir, fx.request("x"));
      assert.equal(await gitOut(mirror, "rev-list", "--count", "--all"), "1", "only the tip commit was downloaded");
      assert.equal(await gitOut(ws.dir, "rev-parse", "HEAD"), await gitOut(fx.server.repoPath("acme", "widget"), "rev-parse", "main"));
      assert.equal(await gitOut(ws.dir, "status", "--porcelain"), "");
      const branch = await ws.createBranch("Push it", 9);
      await writeFile(join(ws.dir, "NEW.md"), "new\n");
      await git(["add", "NEW.md"], { cwd: ws.dir });
      await git(["-c", "user.name=Jules", "-c", "user.email=jules@example.com", "commit", "--quiet", "-m", "Add NEW"], { cwd: ws.dir });
      await ws.push(branch, ws.createdBranches);
      assert.equal(await gitOut(fx.server.repoPath("acme", "widget"), "rev-parse", `refs/heads/${branch}`), await gitOut(ws.dir, "rev-parse", "HEAD"));
      assert.equal(await gitOut(fx.server.repoPath("acme", "widget"), "fsck", "--connectivity-only", "--no-progress"), "");
    } finally {
      await ws.dispose();
    }
  });

  for (const shallow of [false, true]) {
    it(`later fetches bring new commits incrementally (${shallow ? "shallow" : "full"} history served), and nothing when nothing changed`, async () => {
      fx = await workspaceFixture({ fetchTimeoutMs: 20_000 }, history(8, 40));
      if (shallow) await serveShallow(fx);
      await (await fx.manager.prepare(fx.request("t1"))).dispose();
      const afterCold = fx.server.requests.length;
      await (await fx.manager.prepare(fx.request("t2"))).dispose();
      assert.equal(fetches(fx, afterCold), 0, "nothing changed remotely: no fetch");
      await addCommits(fx.server.repoPath("acme", "widget"), [{ files: { "NEW.md": "new upstream\n", "src/d0/f0.txt": "upstream edit\n" }, message: "upstream" }]);
      const before = fx.server.requests.length;
      const ws = await fx.manager.prepare(fx.request("t3"));
      try {
        assert.ok(fetches(fx, before) <= 2, `${fetches(fx, before)} fetches`);
        assert.equal(await readFile(join(ws.dir, "NEW.md"), "utf8"), "new upstream\n");
        assert.equal(await readFile(join(ws.dir, "src/d0/f0.txt"), "utf8"), "upstream edit\n");
        assert.equal(await gitOut(ws.dir, "rev-parse", "HEAD"), await gitOut(fx.server.repoPath("acme", "widget"), "rev-parse", "main"));
        assert.equal(await gitOut(ws.dir, "status", "--porcelain", "--ignored"), "");
      } finally {
        await ws.dispose();
      }
    });
  }

  it("a follow-up on a branch forked long ago: the history between base and branch is fetched, so base..HEAD is the branch's own commits", async () => {
    fx = await workspaceFixture({}, history(5, 30));
    const served = fx.server.repoPath("acme", "widget");
    await git(["update-ref", "refs/heads/feature", "refs/heads/main"], { cwd: served });
    await addCommits(served, [
      { files: { "feature.txt": "one\n" }, branch: "feature", message: "feature 1" },
      { files: { "feature.txt": "two\n" }, branch: "feature", message: "feature 2" },
      ...history(40, 30).slice(1),
    ]);
    const ws = await fx.manager.prepare(fx.request("t-follow", { branch: "feature" }));
    try {
      assert.equal(await gitOut(ws.dir, "rev-parse", "HEAD"), await gitOut(served, "rev-parse", "feature"));
      assert.equal(await readFile(join(ws.dir, "feature.txt"), "utf8"), "two\n");
      assert.equal(await gitOut(ws.dir, "rev-list", "--count", `${ws.baseSha}..HEAD`), "2");
      assert.ok(fetches(fx) <= 6, `${fetches(fx)} fetches`);
    } finally {
      await ws.dispose();
    }
  });

  it("without a base branch, the remote's default branch is checked out", async () => {
    fx = await workspaceFixture();
    const served = fx.server.repoPath("acme", "widget");
    await git(["branch", "trunk", "main"], { cwd: served });
    await addCommits(served, [{ files: { "TRUNK.md": "trunk\n" }, branch: "trunk" }]);
    await git(["symbolic-ref", "HEAD", "refs/heads/trunk"], { cwd: served });
    const ws = await fx.manager.prepare(fx.request("t-default", { baseBranch: null }));
    try {
      assert.equal(ws.baseBranch, "trunk");
      assert.equal(await readFile(join(ws.dir, "TRUNK.md"), "utf8"), "trunk\n");
      assert.ok(fetches(fx) <= 1, `${fetches(fx)} fetches`);
    } finally {
      await ws.dispose();
    }
  });

  it("a branch that does not exist is named, before any fetch", async () => {
    fx = await workspaceFixture();
    const error = await fx.manager.prepare(fx.request("t-none", { baseBranch: "nope" })).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error && /Branch nope does not exist in acme\/widget/.test(error.message), String(error));
    assert.equal(fetches(fx), 0);
  });
});

describe("workspace: parseLsRemote", () => {
  it("reads HEAD's branch and exact branch names only (ls-remote patterns also match name tails)", () => {
    const a = "a".repeat(40);
    const b = "b".repeat(40);
    const heads = parseLsRemote(`ref: refs/heads/main\tHEAD\n${a}\tHEAD\n${a}\trefs/heads/main\n${b}\trefs/heads/x/refs/heads/main\n${b}\trefs/tags/main\n`);
    assert.equal(heads.defaultBranch, "main");
    assert.deepEqual(
      [...heads.tips],
      [
        ["main", a],
        ["x/refs/heads/main", b],
      ],
    );
    assert.equal(parseLsRemote("").defaultBranch, null);
  });
});
