import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { MAX_LINES, readFileTool } from "../../../src/agent/tools/read-file.ts";
import { makeWorkdir, toolContext, type Workdir } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

describe("read_file", () => {
  let wd: Workdir;
  const long = Array.from({ length: 1500 }, (_, i) => `line ${i + 1}`).join("\n");
  beforeAll(async () => {
    wd = await makeWorkdir({
      "a.ts": "const a = 1;\nconst b = 2;\r\nconst c = 3;\n",
      "long.txt": long,
      "image.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      "empty.txt": "",
      "dir/x": "x",
    });
  });
  afterAll(() => wd.cleanup());

  it("numbers lines and counts the file as read", async () => {
    const ctx = toolContext(wd.root, { mode: "plan" });
    const result = await invoke(readFileTool, { path: "a.ts" }, ctx);
    assert.equal(result.content, "1\tconst a = 1;\n2\tconst b = 2;\n3\tconst c = 3;");
    assert.deepEqual([...ctx.stats.filesRead], ["a.ts"]);
  });

  it("reads a line range and tells how to read on", async () => {
    const result = await invoke(readFileTool, { path: "long.txt", start_line: 10, end_line: 12 }, toolContext(wd.root));
    assert.equal(result.content, "10\tline 10\n11\tline 11\n12\tline 12\n[showing lines 10-12 of 1500; call read_file with start_line=13 to read on]");
  });

  it("caps a whole-file read at MAX_LINES", async () => {
    const result = await invoke(readFileTool, { path: "long.txt" }, toolContext(wd.root));
    const lines = result.content.split("\n");
    assert.equal(lines.length, MAX_LINES + 1);
    assert.match(lines.at(-1)!, new RegExp(`showing lines 1-${MAX_LINES} of 1500; call read_file with start_line=${MAX_LINES + 1}`));
  });

  it("describes binary files instead of showing them", async () => {
    const result = await invoke(readFileTool, { path: "image.png" }, toolContext(wd.root));
    assert.match(result.content, /binary file \(6 bytes\)/);
  });

  it("reports missing files, directories, ranges past the end and empty files", async () => {
    const ctx = toolContext(wd.root);
    const missing = await invoke(readFileTool, { path: "nope.ts" }, ctx);
    assert.equal(missing.isError, true);
    assert.match(missing.content, /does not exist; use list_files or search/);
    assert.match((await invoke(readFileTool, { path: "dir" }, ctx)).content, /is a directory/);
    assert.match((await invoke(readFileTool, { path: "a.ts", start_line: 9 }, ctx)).content, /has 3 lines; start_line 9 is past the end/);
    assert.match((await invoke(readFileTool, { path: "a.ts", start_line: 3, end_line: 2 }, ctx)).content, /before start_line/);
    assert.match((await invoke(readFileTool, { path: "empty.txt" }, ctx)).content, /is empty/);
    execFileSync("mkfifo", [join(wd.root, "pipe")]);
    assert.match((await invoke(readFileTool, { path: "pipe" }, ctx)).content, /is not a regular file/, "a FIFO is never opened (it would block)");
    assert.match((await invoke(readFileTool, { path: "a.ts", start_line: 0 }, ctx)).content, /invalid arguments for read_file/);
  });
});
