import assert from "node:assert/strict";
import { symlink, mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { searchTool } from "../../../src/agent/tools/search.ts";
import { makeWorkdir, toolContext, type Workdir } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

describe("search", () => {
  let wd: Workdir;
  let outside: string;
  beforeAll(async () => {
    wd = await makeWorkdir({
      ".gitignore": "ignored/\n",
      "src/a.ts": "export function parseConfig() {}\nconst x = parseConfig();\n",
      "src/b.py": "def parse_config():\n    pass\n",
      "ignored/c.ts": "parseConfig()",
      ".hidden/d.ts": "parseConfig()",
      ".git/HEAD": "parseConfig",
      "many.txt": Array.from({ length: 50 }, () => "needle").join("\n"),
    });
    outside = await mkdtemp(join(tmpdir(), "openjules-outside-"));
    await writeFile(join(outside, "secret.ts"), "parseConfig() // outside");
    await symlink(outside, join(wd.root, "linked"));
  });
  afterAll(async () => {
    await wd.cleanup();
    await rm(outside, { recursive: true, force: true });
  });

  it("finds matches with path and line, skipping ignored files, .git and symlinks", async () => {
    const ctx = toolContext(wd.root, { mode: "plan" });
    const result = await invoke(searchTool, { pattern: "parseConfig\\(" }, ctx);
    const lines = result.content.split("\n").sort();
    assert.deepEqual(lines, [".hidden/d.ts:1:parseConfig()", "src/a.ts:1:export function parseConfig() {}", "src/a.ts:2:const x = parseConfig();"]);
    assert.equal(ctx.stats.searches, 1);
  });

  it("filters by glob and path, and matches case-insensitively on request", async () => {
    const ctx = toolContext(wd.root);
    assert.equal((await invoke(searchTool, { pattern: "parse_config", glob: "*.py" }, ctx)).content, "src/b.py:1:def parse_config():");
    assert.equal((await invoke(searchTool, { pattern: "PARSE_CONFIG", path: "src/b.py", ignore_case: true }, ctx)).content, "src/b.py:1:def parse_config():");
  });

  it("caps the matches and says so", async () => {
    const result = await invoke(searchTool, { pattern: "needle", max_results: 5 }, toolContext(wd.root));
    const lines = result.content.split("\n");
    assert.equal(lines.length, 6);
    assert.match(lines[5]!, /only the first 5 matches/);
  });

  it("reports no match, a bad regex and an escaping path as results", async () => {
    const ctx = toolContext(wd.root);
    assert.match((await invoke(searchTool, { pattern: "nothing-like-this" }, ctx)).content, /No matches/);
    const bad = await invoke(searchTool, { pattern: "(unclosed" }, ctx);
    assert.equal(bad.isError, true);
    assert.match(bad.content, /search failed: .*regex/s);
    assert.match((await invoke(searchTool, { pattern: "x", path: "linked" }, ctx)).content, /symbolic link to a place outside/);
  });
});
