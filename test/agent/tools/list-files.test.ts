import assert from "node:assert/strict";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { pruneGlobs } from "../../../src/agent/tools/gitignore.ts";
import { listFilesTool } from "../../../src/agent/tools/list-files.ts";
import { makeWorkdir, toolContext, type Workdir } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

describe("list_files", () => {
  let wd: Workdir;
  beforeAll(async () => {
    wd = await makeWorkdir({
      ".gitignore": "node_modules/\n*.log\n/dist\n",
      "src/a.ts": "a",
      "src/b.js": "b",
      "src/deep/c.ts": "c",
      "src/gen/.gitignore": "*.gen.ts\n!keep.gen.ts\n",
      "src/gen/x.gen.ts": "x",
      "src/gen/keep.gen.ts": "k",
      "node_modules/pkg/index.js": "n",
      "debug.log": "l",
      "dist/out.js": "d",
      "lib/dist/kept.js": "kept: /dist is anchored at the root",
      ".git/config": "[core]",
      ".env.example": "A=1",
    });
    await symlink(join(wd.root, "src"), join(wd.root, "src-link"));
  });
  afterAll(() => wd.cleanup());

  it("lists files, skipping .git, git-ignored files (root and nested rules) and symlinked dirs", async () => {
    const result = await invoke(listFilesTool, {}, toolContext(wd.root));
    assert.equal(result.isError, undefined);
    const files = result.content.split("\n");
    assert.deepEqual(files, [".env.example", ".gitignore", "lib/dist/kept.js", "src/a.ts", "src/b.js", "src/deep/c.ts", "src/gen/.gitignore", "src/gen/keep.gen.ts"]);
  });

  it("applies a glob below a directory", async () => {
    const result = await invoke(listFilesTool, { pattern: "**/*.ts", path: "src" }, toolContext(wd.root));
    assert.deepEqual(result.content.split("\n"), ["src/a.ts", "src/deep/c.ts", "src/gen/keep.gen.ts"]);
  });

  it("caps the count and says how many more there are", async () => {
    const ctx = toolContext(wd.root);
    const result = await invoke(listFilesTool, { limit: 2 }, ctx);
    const lines = result.content.split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[2]!, /6 more files not shown \(8 in total\)/);
    assert.equal(ctx.stats.listings, 1);
  });

  it("refuses escaping patterns and paths, and says when nothing matches", async () => {
    const ctx = toolContext(wd.root);
    assert.match((await invoke(listFilesTool, { pattern: "../*" }, ctx)).content, /must be relative and must not contain/);
    assert.match((await invoke(listFilesTool, { pattern: "src/../../*" }, ctx)).content, /must not contain/);
    assert.match((await invoke(listFilesTool, { pattern: "/etc/*" }, ctx)).content, /must be relative/);
    assert.match((await invoke(listFilesTool, { path: "../" }, ctx)).content, /outside the working copy/);
    assert.match((await invoke(listFilesTool, { path: "src/a.ts" }, ctx)).content, /is not a directory/);
    assert.match((await invoke(listFilesTool, { pattern: "*.rs" }, ctx)).content, /No files match/);
  });

  it("turns plain directory rules into prune globs, but never when a rule re-includes", () => {
    assert.deepEqual(pruneGlobs("node_modules/\n/dist\n# comment\n*.log\nbuild"), ["**/node_modules/**", "dist/**", "**/build/**"]);
    assert.deepEqual(pruneGlobs("build/\n!build/keep"), []);
  });
});
