import assert from "node:assert/strict";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { walkRepository } from "../../../src/agent/context/walk.ts";
import { makeTempDir, writeFiles } from "../../helpers/context-repo.ts";

describe("walkRepository", () => {
  let dir = "";
  let remove = async () => {};
  let outside = "";
  let removeOutside = async () => {};

  beforeAll(async () => {
    ({ dir, remove } = await makeTempDir());
    ({ dir: outside, remove: removeOutside } = await makeTempDir());
    await writeFiles(outside, { "secret.ts": "export const s = 1;\n" });
    await writeFiles(dir, {
      ".gitignore": "*.log\n/dist\nbuild/\n!keep.log\n",
      "src/index.ts": "",
      "src/debug.log": "",
      "keep.log": "",
      "dist/bundle.js": "",
      "src/dist/kept.ts": "",
      "pkg/build/out.js": "",
      "pkg/.gitignore": "generated.ts\n!important.log\n",
      "pkg/generated.ts": "",
      "pkg/important.log": "",
      "pkg/sub/generated.ts": "",
      "private/notes.md": "",
      "node_modules/dep/index.js": "",
      "vendor/lib/lib.go": "",
      "web/node_modules/x/y.js": "",
      "assets/logo.png": "",
      "assets/logo.svg": "<svg/>",
      ".git/HEAD": "ref: refs/heads/main\n",
      ".git/info/exclude": "private/\n",
      ".github/workflows/ci.yml": "on: push\n",
    });
    await mkdir(join(dir, "links"));
    await symlink(outside, join(dir, "links", "outside-dir"));
    await symlink(join(outside, "secret.ts"), join(dir, "links", "outside-file.ts"));
  });

  afterAll(async () => {
    await remove();
    await removeOutside();
  });

  it("lists files as git would, skipping ignored, dependency, vendored, binary and linked paths", async () => {
    const walk = await walkRepository(dir);
    assert.deepEqual([...walk.files].sort(), [
      ".github/workflows/ci.yml",
      ".gitignore",
      "assets/logo.svg",
      "keep.log",
      "pkg/.gitignore",
      "pkg/important.log",
      "src/dist/kept.ts",
      "src/index.ts",
    ]);
    assert.deepEqual([...walk.skippedDirs].sort(), ["node_modules/", "vendor/", "web/node_modules/"]);
    assert.equal(walk.truncated, false);
  });

  it("skips a worktree's .git file, as it skips the .git directory", async () => {
    const { dir: worktree, remove: removeWorktree } = await makeTempDir();
    try {
      await writeFiles(worktree, { ".git": "gitdir: /var/mirrors/acme/widget.git/worktrees/t1\n", "src/a.ts": "", "sub/.git": "gitdir: elsewhere\n" });
      assert.deepEqual([...(await walkRepository(worktree)).files].sort(), ["src/a.ts"]);
    } finally {
      await removeWorktree();
    }
  });

  it("stops at the file limit and says so", async () => {
    const walk = await walkRepository(dir, 3);
    assert.equal(walk.files.length, 3);
    assert.equal(walk.truncated, true);
  });

  it("refuses a directory that does not exist", async () => {
    await assert.rejects(walkRepository(join(dir, "missing")), /does not exist or is not a directory/);
  });
});
