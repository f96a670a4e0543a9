import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "vitest";
import { editFileTool } from "../../../src/agent/tools/edit-file.ts";
import { listFilesTool } from "../../../src/agent/tools/list-files.ts";
import { MAX_FILE_BYTES, readFileTool } from "../../../src/agent/tools/read-file.ts";
import { searchTool } from "../../../src/agent/tools/search.ts";
import { MAX_WRITE_CHARS, writeFileTool } from "../../../src/agent/tools/write-file.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";
import { makeWorkdir, toolContext, type Workdir } from "../../helpers/fake-llm/workdir.ts";
import { makeCharDevice, makeFifo, peakRssMib, releaseFifos } from "../../helpers/special-files.ts";
import { within } from "../../helpers/within.ts";

/**
 * The agent's tools on a working copy where the repository (or code run in
 * its sandbox) has put special files: FIFOs, links to /dev/zero and
 * /dev/urandom, character devices, a `.git` file pointing out of the tree.
 * Every call settles promptly with an answer the model can act on, and
 * neither this process nor ripgrep balloons.
 */

const SETTLE_MS = 3_000;
const MAX_GROWTH_MIB = 200;

describe("agent tools with special files in the working copy", () => {
  let wd: Workdir;
  const fifos: string[] = [];
  beforeEach(async () => {
    wd = await makeWorkdir({
      "src/a.ts": "export const needle = 1;\n",
      "ignored/b.ts": "export const needle = 2;\n",
      "README.md": "# needle\n",
    });
  });
  afterEach(async () => {
    await releaseFifos(fifos.splice(0));
    await wd.cleanup();
  });
  const fifo = async (path: string) => {
    await mkdir(join(wd.root, path, ".."), { recursive: true });
    await makeFifo(join(wd.root, path));
    fifos.push(join(wd.root, path));
  };
  const call = (tool: Parameters<typeof invoke>[0], args: unknown, label: string) => within(SETTLE_MS, invoke(tool, args, toolContext(wd.root)), label);

  it("read_file refuses a FIFO, a character device and a link to /dev/zero promptly", async ({ skip }) => {
    await fifo("pipe.txt");
    await symlink("/dev/zero", join(wd.root, "zero.txt"));
    assert.match((await call(readFileTool, { path: "pipe.txt" }, "read_file on a FIFO")).content, /pipe\.txt is not a regular file \(a FIFO\)/);
    assert.match((await call(readFileTool, { path: "zero.txt" }, "read_file on a /dev/zero link")).content, /outside the working copy/);
    if (!(await makeCharDevice(join(wd.root, "dev.txt"), 1, 5))) return skip("mknod is not permitted on this host");
    const peak = peakRssMib();
    assert.match((await call(readFileTool, { path: "dev.txt" }, "read_file on a device")).content, /dev\.txt is not a regular file \(a character device\)/);
    assert.ok(peakRssMib() - peak < MAX_GROWTH_MIB);
  });

  it("edit_file and write_file refuse a FIFO promptly, and write nothing through it", async () => {
    await fifo("pipe.txt");
    const edit = await call(editFileTool, { path: "pipe.txt", old_string: "a", new_string: "b" }, "edit_file on a FIFO");
    assert.match(edit.content, /pipe\.txt is not a regular file \(a FIFO\)/);
    const write = await call(writeFileTool, { path: "pipe.txt", content: "x" }, "write_file on a FIFO");
    assert.match(write.content, /pipe\.txt is not a regular file \(a FIFO\)/);
  });

  it("edit_file refuses a file over the read limit and a replacement over the write limit", async () => {
    await writeFile(join(wd.root, "big.txt"), `${"x".repeat(MAX_FILE_BYTES)}\nneedle\n`);
    const big = await invoke(editFileTool, { path: "big.txt", old_string: "needle", new_string: "pin" }, toolContext(wd.root));
    assert.equal(big.isError, true);
    assert.match(big.content, new RegExp(`big\\.txt is ${MAX_FILE_BYTES + 8} bytes, over the ${MAX_FILE_BYTES}-byte limit`));
    const huge = await invoke(editFileTool, { path: "src/a.ts", old_string: "needle", new_string: "y".repeat(MAX_WRITE_CHARS + 1) }, toolContext(wd.root));
    assert.equal(huge.isError, true);
    assert.match(huge.content, /new_string/);
    assert.equal(await readFile(join(wd.root, "src/a.ts"), "utf8"), "export const needle = 1;\n");
  });

  it("list_files works when .gitignore files are FIFOs or link to /dev/zero, and lists no special file", async () => {
    await writeFile(join(wd.root, ".gitignore"), "ignored/\n");
    await fifo("src/.gitignore");
    await fifo("src/pipe.ts");
    await symlink("/dev/urandom", join(wd.root, "ignored", ".gitignore"));
    const peak = peakRssMib();
    const listed = await call(listFilesTool, {}, "list_files with special .gitignore files");
    assert.deepEqual(listed.content.split("\n"), [".gitignore", "README.md", "src/a.ts"]);
    await rm(join(wd.root, ".gitignore"));
    await symlink("/dev/zero", join(wd.root, ".gitignore"));
    const again = await call(listFilesTool, {}, "list_files with .gitignore -> /dev/zero");
    assert.deepEqual(again.content.split("\n"), ["README.md", "ignored/b.ts", "src/a.ts"]);
    assert.ok(peakRssMib() - peak < MAX_GROWTH_MIB, `memory grew by ${Math.round(peakRssMib() - peak)} MiB`);
  });

  it("search works when ignore files are FIFOs or link to /dev/zero, still honouring the safe rules", async () => {
    await writeFile(join(wd.root, ".gitignore"), "ignored/\n");
    const attacks: [string, () => Promise<void>][] = [
      ["a nested .gitignore -> /dev/zero", () => symlink("/dev/zero", join(wd.root, "src", ".gitignore"))],
      ["a .ignore FIFO", () => fifo(".ignore")],
      ["an .rgignore -> /dev/urandom", () => symlink("/dev/urandom", join(wd.root, "src", ".rgignore"))],
      ["a nested .gitignore FIFO", () => fifo("docs/.gitignore")],
    ];
    for (const [name, attack] of attacks) {
      await attack();
      const result = await call(searchTool, { pattern: "needle" }, `search with ${name}`);
      assert.deepEqual(
        result.content
          .split("\n")
          .filter((l) => !l.startsWith("["))
          .sort(),
        ["README.md:1:# needle", "src/a.ts:1:export const needle = 1;"],
        name,
      );
    }
  });

  it("search with the root .gitignore -> /dev/zero finds matches promptly", async () => {
    await symlink("/dev/zero", join(wd.root, ".gitignore"));
    const result = await call(searchTool, { pattern: "needle", path: "src" }, "search with .gitignore -> /dev/zero");
    assert.match(result.content, /^src\/a\.ts:1:export const needle = 1;/);
  });

  it("search refuses an explicit FIFO path promptly", async () => {
    await fifo("pipe.txt");
    const result = await call(searchTool, { pattern: "needle", path: "pipe.txt" }, "search on a FIFO");
    assert.equal(result.isError, true);
    assert.match(result.content, /pipe\.txt is not a regular file or directory \(a FIFO\)/);
  });

  describe("a .git file pointing out of the working copy", () => {
    let outside = "";
    beforeAll(async () => {
      outside = await mkdtemp(join(tmpdir(), "openjules-gitdir-"));
      await mkdir(join(outside, "worktrees", "w"), { recursive: true });
      await mkdir(join(outside, "info"));
      await writeFile(join(outside, "worktrees", "w", "commondir"), "../..\n");
      await makeFifo(join(outside, "info", "exclude"));
    });
    afterAll(async () => {
      await releaseFifos([join(outside, "info", "exclude")]);
      await rm(outside, { recursive: true, force: true });
    });

    it("search and list_files do not read what it names", async () => {
      await writeFile(join(wd.root, ".git"), `gitdir: ${join(outside, "worktrees", "w")}\n`);
      const found = await call(searchTool, { pattern: "needle", path: "src" }, "search with a hostile .git file");
      assert.match(found.content, /^src\/a\.ts:1:/);
      const listed = await call(listFilesTool, { pattern: "src/*" }, "list_files with a hostile .git file");
      assert.equal(listed.content, "src/a.ts");
    });
  });
});
