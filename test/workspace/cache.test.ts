import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, it } from "vitest";
import { WorkspaceError, WorkspaceManager } from "../../src/workspace/manager.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { addCommits, gitOut } from "../helpers/git/repo.ts";
import { pathExists, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

const fetches = (fx: WorkspaceFixture) => fx.server.requests.filter((r) => r.command === "fetch").length;

describe("workspace: mirror cache", () => {
  let fx: WorkspaceFixture;
  afterEach(() => fx.cleanup());

  it("warm path: a repository seen before is not cloned again, only asked for new refs", async () => {
    fx = await workspaceFixture();
    const first = await fx.manager.prepare(fx.request("t1"));
    await first.dispose();
    const coldFetches = fetches(fx);
    assert.ok(coldFetches >= 1);
    const second = await fx.manager.prepare(fx.request("t2"));
    try {
      assert.equal(fetches(fx), coldFetches, "nothing changed remotely, so no objects were fetched");
      assert.ok(fx.server.requests.some((r, i) => i > 0 && r.command === "ls-refs"));
      assert.equal(await readFile(join(second.dir, "README.md"), "utf8"), "# Widget\n");
    } finally {
      await second.dispose();
    }
  });

  it("warm path with a recycled worktree: new remote commits arrive, the previous task's files do not", async () => {
    fx = await workspaceFixture();
    const first = await fx.manager.prepare(fx.request("t1"));
    await writeFile(join(first.dir, "leftover.txt"), "from task 1\n");
    await writeFile(join(first.dir, "README.md"), "edited by task 1\n");
    await first.dispose();
    await addCommits(fx.server.repoPath("acme", "widget"), [{ files: { "NEW.md": "new upstream\n" }, message: "upstream" }]);
    const second = await fx.manager.prepare(fx.request("t2"));
    try {
      assert.equal(await readFile(join(second.dir, "NEW.md"), "utf8"), "new upstream\n");
      assert.equal(await readFile(join(second.dir, "README.md"), "utf8"), "# Widget\n");
      assert.equal(await pathExists(join(second.dir, "leftover.txt")), false);
      assert.equal(await gitOut(second.dir, "status", "--porcelain", "--ignored"), "");
      assert.equal(await gitOut(second.dir, "rev-parse", "HEAD"), await gitOut(fx.server.repoPath("acme", "widget"), "rev-parse", "main"));
    } finally {
      await second.dispose();
    }
  });

  it("evicts the least recently used mirror when the cache passes its cap", async () => {
    fx = await workspaceFixture();
    const other = await fx.server.createRepo("acme", "gadget", [{ files: { "a.txt": "a\n" } }]);
    const widget = await fx.manager.prepare(fx.request("t1"));
    await widget.dispose();
    const widgetMirror = mirrorPath(fx.dataDir, fx.request("x"));
    const size = JSON.parse(await readFile(join(widgetMirror, "openjules.json"), "utf8")).sizeBytes as number;
    assert.ok(size > 0);
    // A cap that holds one small mirror but not two.
    const tight = new WorkspaceManager({ dataDir: fx.dataDir, cacheMaxBytes: size + 1, repoMaxBytes: 1024 ** 3 });
    const gadget = await tight.prepare(fx.request("t2", { cloneUrl: other, repo: "gadget" }));
    try {
      assert.equal(await pathExists(widgetMirror), false, "the older mirror was evicted");
      assert.equal(await pathExists(mirrorPath(fx.dataDir, { cloneUrl: other, owner: "acme", repo: "gadget" })), true);
      assert.equal(await readFile(join(gadget.dir, "a.txt"), "utf8"), "a\n");
    } finally {
      await gadget.dispose();
    }
  });

  it("never evicts a mirror a running task's worktree depends on", async () => {
    fx = await workspaceFixture({ cacheMaxBytes: 1 });
    const first = await fx.manager.prepare(fx.request("t1"));
    const other = await fx.server.createRepo("acme", "gadget", [{ files: { "a.txt": "a\n" } }]);
    const second = await fx.manager.prepare(fx.request("t2", { cloneUrl: other, repo: "gadget" }));
    try {
      assert.equal(await pathExists(mirrorPath(fx.dataDir, fx.request("x"))), true);
      assert.equal(await readFile(join(first.dir, "README.md"), "utf8"), "# Widget\n");
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it("refuses an oversize repository early from the payload's size, without contacting the server", async () => {
    fx = await workspaceFixture({ repoMaxBytes: 1024 * 1024 });
    const error = await fx.manager.prepare(fx.request("t1", { sizeKb: 5 * 1024 })).catch((e: unknown) => e);
    assert.ok(error instanceof WorkspaceError && error.code === "repo_too_large", String(error));
    assert.match(error.message, /acme\/widget is about 5 MB, over .* limit of 1 MB/);
    assert.equal(fx.server.requests.length, 0);
  });

  it("refuses an oversize repository after measuring it, and deletes its mirror", async () => {
    fx = await workspaceFixture({ repoMaxBytes: 64 });
    const error = await fx.manager.prepare(fx.request("t1")).catch((e: unknown) => e);
    assert.ok(error instanceof WorkspaceError && error.code === "repo_too_large", String(error));
    assert.equal(await pathExists(mirrorPath(fx.dataDir, fx.request("x"))), false);
    assert.equal(await pathExists(join(fx.dataDir, "work", "t1")), false);
  });
});
