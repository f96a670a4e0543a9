import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { writeFileTool } from "../../../src/agent/tools/write-file.ts";
import { makeWorkdir, toolContext, type Workdir } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

describe("write_file", () => {
  let wd: Workdir;
  let outside: string;
  beforeAll(async () => {
    wd = await makeWorkdir({ "README.md": "old\n" });
    outside = await mkdtemp(join(tmpdir(), "openjules-outside-"));
    await symlink(outside, join(wd.root, "out"));
  });
  afterAll(async () => {
    await wd.cleanup();
    await rm(outside, { recursive: true, force: true });
  });

  it("creates a file with its directories, then overwrites it", async () => {
    const ctx = toolContext(wd.root);
    const created = await invoke(writeFileTool, { path: "src/new/mod.ts", content: "export {};\n" }, ctx);
    assert.equal(created.content, "Created src/new/mod.ts (2 lines).");
    const overwritten = await invoke(writeFileTool, { path: "README.md", content: "new" }, ctx);
    assert.equal(overwritten.content, "Overwrote README.md (1 lines).");
    assert.equal(await readFile(join(wd.root, "src/new/mod.ts"), "utf8"), "export {};\n");
    assert.equal(await readFile(join(wd.root, "README.md"), "utf8"), "new");
    assert.deepEqual([...ctx.stats.filesChanged].sort(), ["README.md", "src/new/mod.ts"]);
  });

  it("refuses escapes, .git, denied paths and directories, writing nothing", async () => {
    const ctx = toolContext(wd.root);
    assert.match((await invoke(writeFileTool, { path: "../evil.txt", content: "x" }, ctx)).content, /outside the working copy/);
    assert.match((await invoke(writeFileTool, { path: "out/evil.txt", content: "x" }, ctx)).content, /symbolic link/);
    assert.match((await invoke(writeFileTool, { path: ".git/hooks/post-checkout", content: "x" }, ctx)).content, /\.git directory/);
    assert.match((await invoke(writeFileTool, { path: ".github/workflows/x.yml", content: "x" }, ctx)).content, /denied pattern/);
    assert.match((await invoke(writeFileTool, { path: "src", content: "x" }, ctx)).content, /is a directory/);
    await assert.rejects(stat(join(outside, "evil.txt")));
    await assert.rejects(stat(join(wd.root, ".github")));
    assert.equal(ctx.stats.filesChanged.size, 0);
  });
});
