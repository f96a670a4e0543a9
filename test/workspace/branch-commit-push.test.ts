import assert from "node:assert/strict";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { userFacingFailure } from "../../src/tasks/user-facing.ts";
import { rejection } from "../../src/workspace/push.ts";
import { WorkspaceError } from "../../src/workspace/manager.ts";
import { addCommits, branchSha, gitOut, serverConfig } from "../helpers/git/repo.ts";
import { workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";

const bot = { slug: "openjules", userId: 4242 };
const coAuthor = { login: "octocat", id: 583231 };
const commitRequest = { subject: "Fix the answer", body: "The answer was computed at runtime; make it a constant.", bot, coAuthor };

describe("workspace: task branch, commit, push and diff", () => {
  let fx: WorkspaceFixture;
  beforeAll(async () => {
    fx = await workspaceFixture();
    await addCommits(fx.server.repoPath("acme", "widget"), [
      { branch: "jules/7-fix-the-bug", files: { "x.txt": "someone else's\n" } },
      { branch: "jules/8-add-docs", files: { "y.txt": "taken\n" } },
      { branch: "jules/8-add-docs-2", files: { "z.txt": "taken\n" } },
    ]);
  });
  afterAll(() => fx.cleanup());

  it("names the branch jules/<issue>-<slug> and makes it unique against the remote", async () => {
    const ws = await fx.manager.prepare(fx.request("t-branch"));
    try {
      assert.equal(await ws.createBranch("Fix the bug!", 7), "jules/7-fix-the-bug-2");
      assert.equal(await gitOut(ws.dir, "symbolic-ref", "HEAD"), "refs/heads/jules/7-fix-the-bug-2");
      assert.deepEqual(ws.createdBranches, ["jules/7-fix-the-bug-2"]);
    } finally {
      await ws.dispose();
    }
    const ws2 = await fx.manager.prepare(fx.request("t-branch2"));
    try {
      assert.equal(await ws2.createBranch("Add docs", 8), "jules/8-add-docs-3");
      assert.equal(await ws2.createBranch("Brand new", 9), "jules/9-brand-new");
    } finally {
      await ws2.dispose();
    }
  });

  it("commits as the app's bot with a Co-authored-by trailer, pushes, and diffs against the base", async () => {
    const ws = await fx.manager.prepare(fx.request("t-commit"));
    try {
      const branch = await ws.createBranch("Fix the answer", 12);
      assert.deepEqual(await ws.commit(commitRequest), { sha: null, leftOut: [] }, "nothing to commit yet");
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
      await mkdir(join(ws.dir, "node_modules/dep"), { recursive: true });
      await writeFile(join(ws.dir, "node_modules/dep/index.js"), "dependency installed by setup\n");
      await rename(join(ws.dir, "docs/guide.md"), join(ws.dir, "docs/GUIDE.md"));
      await agentWrote(ws);
      const { sha, leftOut } = await ws.commit(commitRequest);
      assert.match(sha ?? "", /^[0-9a-f]{40}$/);
      assert.deepEqual(leftOut, []);
      const log = await gitOut(ws.dir, "log", "-1", "--format=%an|%ae|%cn|%ce%n%B");
      assert.equal(log.split("\n")[0], "openjules[bot]|4242+openjules[bot]@users.noreply.github.com|openjules[bot]|4242+openjules[bot]@users.noreply.github.com");
      assert.match(log, /\nFix the answer\n\nThe answer was computed at runtime; make it a constant\.\n\nCo-authored-by: octocat <583231\+octocat@users\.noreply\.github\.com>$/);

      const diff = await ws.diff();
      assert.deepEqual(
        diff.files.map((f) => `${f.status} ${f.path}`).sort(),
        ["added docs/GUIDE.md", "deleted docs/guide.md", "modified src/index.js"],
        "renames are split and node_modules is never committed",
      );
      assert.match(diff.patch, /^-export const answer = 41 \+ 1;$/m);
      assert.match(diff.patch, /^\+export const answer = 42;$/m);
      assert.equal(diff.commitMessages.length, 1);
      assert.match(diff.commitMessages[0] ?? "", /^Fix the answer/);

      const pushesBefore = fx.server.requests.filter((r) => r.service === "git-receive-pack").length;
      await ws.push(branch, ws.createdBranches);
      assert.ok(fx.server.requests.filter((r) => r.service === "git-receive-pack").length > pushesBefore);
      assert.equal(await branchSha(fx.server.repoPath("acme", "widget"), branch), sha);
    } finally {
      await ws.dispose();
    }
  });

  it("refuses to push a branch the app did not create, before talking to the server", async () => {
    const ws = await fx.manager.prepare(fx.request("t-refuse"));
    try {
      const mine = await ws.createBranch("Mine", 20);
      await writeFile(join(ws.dir, "mine.txt"), "x\n");
      await agentWrote(ws);
      await ws.commit({ ...commitRequest, subject: "Mine" });
      const before = fx.server.requests.length;
      const main = await branchSha(fx.server.repoPath("acme", "widget"), "main");
      for (const branch of ["main", "jules/7-fix-the-bug", `+${mine}`, `${mine}:main`]) {
        await assert.rejects(ws.push(branch, ws.createdBranches), (e: unknown) => e instanceof WorkspaceError && e.code === "push_refused", branch);
      }
      await assert.rejects(ws.push(mine, []), (e: unknown) => e instanceof WorkspaceError && e.code === "push_refused");
      assert.equal(fx.server.requests.length, before);
      assert.equal(await branchSha(fx.server.repoPath("acme", "widget"), "main"), main);
    } finally {
      await ws.dispose();
    }
  });

  it("never force-pushes: a branch that moved on the remote is left as it is", async () => {
    const remote = fx.server.repoPath("acme", "widget");
    // The server would accept a forced update here, so only our side can prevent it.
    await serverConfig(remote, "receive.denyNonFastForwards", "false");
    const ws = await fx.manager.prepare(fx.request("t-noforce"));
    try {
      const branch = await ws.createBranch("Race", 30);
      await writeFile(join(ws.dir, "race.txt"), "ours 1\n");
      await agentWrote(ws);
      await ws.commit({ ...commitRequest, subject: "Race 1" });
      await ws.push(branch, ws.createdBranches);
      // Someone else pushes to the task branch on GitHub.
      await addCommits(fx.server.repoPath("acme", "widget"), [{ branch, files: { "theirs.txt": "theirs\n" } }]);
      const theirs = await branchSha(fx.server.repoPath("acme", "widget"), branch);
      await writeFile(join(ws.dir, "race.txt"), "ours 2\n");
      await agentWrote(ws);
      await ws.commit({ ...commitRequest, subject: "Race 2" });
      const error = await ws.push(branch, ws.createdBranches).catch((e: unknown) => e);
      // Not "usually temporary": a retry would be refused the same way, so the task fails at once with the reason.
      assert.ok(error instanceof WorkspaceError && error.code === "push_rejected", String(error));
      assert.match(error.message, /moved on GitHub \(someone pushed to it\).*never force-pushes/);
      const failure = userFacingFailure(error, "working");
      assert.ok(failure, "a rejected push is a permanent failure, not retried");
      assert.equal(failure.phase, "pushing the branch");
      assert.match(failure.hint, /starts from the branch as it is on GitHub now/);
      assert.equal(await branchSha(remote, branch), theirs);
    } finally {
      await ws.dispose();
      await serverConfig(remote, "receive.denyNonFastForwards", "true");
    }
  });

  it("tells a refused ref from a temporary failure by git's push status", () => {
    assert.equal(rejection(" ! [rejected]        jules/1-x -> jules/1-x (non-fast-forward)\nerror: failed to push some refs"), "moved");
    assert.equal(rejection(" ! [rejected]        jules/1-x -> jules/1-x (fetch first)"), "moved");
    assert.equal(rejection(" ! [remote rejected] jules/1-x -> jules/1-x (protected branch hook declined)"), "refused");
    assert.equal(rejection("fatal: unable to access 'https://github.com/a/b.git/': The requested URL returned error: 502"), null);
    assert.equal(rejection("error: RPC failed; curl 56 Recv failure: Connection reset by peer"), null);
  });

  it("prepares a follow-up on an existing app branch and pushes on top of it", async () => {
    const first = await fx.manager.prepare(fx.request("t-follow-1"));
    const branch = await first.createBranch("Follow up", 40);
    await writeFile(join(first.dir, "f.txt"), "v1\n");
    await agentWrote(first);
    await first.commit({ ...commitRequest, subject: "v1" });
    await first.push(branch, first.createdBranches);
    await first.dispose();

    const again = await fx.manager.prepare(fx.request("t-follow-2", { branch }));
    try {
      assert.equal(again.branch, branch);
      assert.equal(await gitOut(again.dir, "symbolic-ref", "--short", "HEAD"), branch);
      await writeFile(join(again.dir, "f.txt"), "v2\n");
      await agentWrote(again);
      const { sha } = await again.commit({ ...commitRequest, subject: "v2" });
      await again.push(branch, [branch]);
      assert.equal(await branchSha(fx.server.repoPath("acme", "widget"), branch), sha);
      assert.equal((await again.diff()).files.map((f) => f.path).join(), "f.txt");
    } finally {
      await again.dispose();
    }
  });
});
