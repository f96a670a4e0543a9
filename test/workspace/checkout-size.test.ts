import assert from "node:assert/strict";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { WorkspaceError, WorkspaceManager } from "../../src/workspace/manager.ts";
import { fastImport } from "../helpers/git/fast-import.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { tempDir, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

const MiB = 1024 ** 2;
const PATHS = 400;

/**
 * Issue 8, item 8: a repository that is tiny compressed (one highly
 * compressible 1 MiB blob) but whose 400 paths all share that blob: 400 MiB
 * when checked out. Written straight into the served bare repository with
 * one blob mark, as an attacker would push it; plus 40 small distinct files,
 * so fetching blobs one by one would show as many requests.
 */
function bombStream(): string[] {
  const blob = "\0".repeat(MiB);
  const out = [`blob\nmark :1\ndata ${MiB}\n`, blob, "\n"];
  let commit = `commit refs/heads/bomb\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\ndata 5\nbomb\nfrom refs/heads/main^0\n`;
  for (let i = 0; i < PATHS; i++) commit += `M 100644 :1 zeros/${String(i).padStart(4, "0")}.bin\n`;
  for (let i = 0; i < 40; i++) commit += `M 100644 inline small/${i}.txt\ndata ${String(i).length + 1}\n${i}\n\n`;
  out.push(`${commit}\n`);
  return out;
}

describe("workspace: the checked-out size is checked before checkout (zip-bomb-like repository)", { timeout: 120_000 }, () => {
  let fx: WorkspaceFixture;
  beforeAll(async () => {
    fx = await workspaceFixture({ checkoutMaxBytes: 256 * MiB, sparesPerRepo: 0 });
    const bare = fx.server.repoPath(fx.owner, fx.repo);
    await fastImport(bare, bombStream());
    await gitOut(bare, "gc", "--quiet", "--aggressive");
    const packed = Number(/size-pack: (\d+)/.exec(await gitOut(bare, "count-objects", "-v"))?.[1]) * 1024;
    assert.ok(packed < 200 * 1024, `the served repository is small compressed (${packed} bytes)`);
  });
  afterAll(() => fx.cleanup());

  it("refuses the commit with its size, the limit and the setting, and writes no working copy", async () => {
    const before = fx.server.requests.length;
    const error = await fx.manager.prepare(fx.request("t-bomb", { baseBranch: "bomb" })).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkspaceError, `refused, got ${String(error)}`);
    assert.equal(error.code, "repo_too_large");
    assert.match(error.message, /acme\/widget would take 400 MB when checked out \(4\d\d files/);
    assert.match(error.message, /limit of 256 MB/);
    assert.match(error.hint, /JULES_CHECKOUT_MAX_MB/);
    assert.deepEqual(await readdir(join(fx.dataDir, "work")), [], "nothing was checked out");
    // The blobs came in one batch, not one request per blob (the 40 small files would show).
    const uploads = fx.server.requests.slice(before).filter((r) => r.service === "git-upload-pack" && r.command === "fetch");
    assert.ok(uploads.length <= 4, `${uploads.length} upload-pack requests`);
  });

  it("refuses the same commit again on the next task: only commits within the limits are remembered as measured", async () => {
    for (const id of ["t-bomb-2", "t-bomb-3"]) {
      const error = await fx.manager.prepare(fx.request(id, { baseBranch: "bomb" })).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof WorkspaceError && error.code === "repo_too_large", `${id} refused, got ${String(error)}`);
    }
    assert.deepEqual(await readdir(join(fx.dataDir, "work")), []);
  });

  it("a repository within the limit checks out as before", async () => {
    const ws = await fx.manager.prepare(fx.request("t-fine"));
    try {
      assert.ok((await readdir(ws.dir)).includes("README.md"));
    } finally {
      await ws.dispose();
    }
  });

  it("refuses a commit with more files than the file limit, naming JULES_CHECKOUT_MAX_FILES", async () => {
    const dataDir = await tempDir("openjules-ws-files-");
    try {
      const manager = new WorkspaceManager({ dataDir, cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, checkoutMaxFiles: 300, sparesPerRepo: 0 });
      const error = await manager.prepare({ ...fx.request("t-files", { baseBranch: "bomb" }) }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof WorkspaceError);
      assert.equal(error.code, "repo_too_large");
      assert.match(error.message, /has 44\d files .* limit of 300 files/);
      assert.match(error.hint, /JULES_CHECKOUT_MAX_FILES/);
      assert.deepEqual(await readdir(join(dataDir, "work")), []);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
