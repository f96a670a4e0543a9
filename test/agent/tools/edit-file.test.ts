import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { editFileTool } from "../../../src/agent/tools/edit-file.ts";
import { makeWorkdir, toolContext, type Workdir } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

describe("edit_file", () => {
  let wd: Workdir;
  beforeAll(async () => {
    wd = await makeWorkdir({
      "src/a.ts": "function a() {\n  return 1;\n}\nfunction b() {\n  return 1;\n}\n",
      ".github/workflows/ci.yml": "on: push\n",
    });
  });
  afterAll(() => wd.cleanup());
  const read = () => readFile(join(wd.root, "src/a.ts"), "utf8");

  it("replaces a unique match and counts the file as changed", async () => {
    const ctx = toolContext(wd.root);
    const result = await invoke(editFileTool, { path: "src/a.ts", old_string: "function b() {\n  return 1;", new_string: "function b() {\n  return 2;" }, ctx);
    assert.equal(result.content, "Edited src/a.ts at line 4.");
    assert.equal(await read(), "function a() {\n  return 1;\n}\nfunction b() {\n  return 2;\n}\n");
    assert.deepEqual([...ctx.stats.filesChanged], ["src/a.ts"]);
  });

  it("refuses a string that matches several times, saying how many", async () => {
    const before = await read();
    const result = await invoke(editFileTool, { path: "src/a.ts", old_string: "}\n", new_string: "};\n" }, toolContext(wd.root));
    assert.equal(result.isError, true);
    assert.match(result.content, /matches 2 times in src\/a\.ts; include more surrounding lines/);
    assert.equal(await read(), before);
  });

  it("refuses a string that does not occur", async () => {
    const result = await invoke(editFileTool, { path: "src/a.ts", old_string: "return 3;", new_string: "return 4;" }, toolContext(wd.root));
    assert.match(result.content, /was not found in src\/a\.ts/);
  });

  it("refuses missing files, no-op edits, denied paths and the planning phase", async () => {
    const ctx = toolContext(wd.root);
    assert.match((await invoke(editFileTool, { path: "nope.ts", old_string: "a", new_string: "b" }, ctx)).content, /does not exist; use write_file/);
    assert.match((await invoke(editFileTool, { path: "src/a.ts", old_string: "a", new_string: "a" }, ctx)).content, /identical/);
    const denied = await invoke(editFileTool, { path: ".github/workflows/ci.yml", old_string: "push", new_string: "pull_request" }, ctx);
    assert.match(denied.content, /denied pattern/);
    assert.equal(await readFile(join(wd.root, ".github/workflows/ci.yml"), "utf8"), "on: push\n");
    const planning = await invoke(editFileTool, { path: "src/a.ts", old_string: "a()", new_string: "c()" }, toolContext(wd.root, { mode: "plan" }));
    assert.match(planning.content, /not available while planning/);
  });
});
