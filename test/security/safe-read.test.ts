import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { PathError } from "../../src/security/paths.ts";
import { readRepoFile, writeRepoFile } from "../../src/security/safe-read.ts";
import { makeFifo, releaseFifos } from "../helpers/special-files.ts";
import { within } from "../helpers/within.ts";

/** safe-read.ts on real files: what it reads, what it refuses, and that it always answers promptly. */

describe("readRepoFile / writeRepoFile", () => {
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "openjules-safe-read-"));
    await mkdir(join(root, "docs"));
    await writeFile(join(root, "docs", "a.md"), "0123456789");
    await symlink("a.md", join(root, "docs", "link.md"));
    await symlink("/dev/zero", join(root, "zero"));
    await makeFifo(join(root, "pipe"));
    await mkdir(join(root, ".git", "info"), { recursive: true });
    await writeFile(join(root, ".git", "info", "exclude"), "x\n");
  });
  afterAll(async () => {
    await releaseFifos([join(root, "pipe")]);
    await rm(root, { recursive: true, force: true });
  });
  const read = (path: string, options: Partial<Parameters<typeof readRepoFile>[2]> = {}) =>
    within(2_000, readRepoFile(root, path, { maxBytes: 1024, ...options }), `reading ${path}`);

  it("reads a regular file, follows an in-tree link, and says when it cut", async () => {
    const whole = await read("docs/a.md");
    assert.ok(whole.ok && whole.bytes.toString() === "0123456789" && !whole.truncated);
    const linked = await read("docs/link.md");
    assert.ok(linked.ok && linked.rel === "docs/link.md" && linked.bytes.toString() === "0123456789");
    const head = await read("docs/a.md", { maxBytes: 4 });
    assert.ok(head.ok && head.bytes.toString() === "0123" && head.truncated && head.size === 10);
    const refused = await read("docs/a.md", { maxBytes: 4, whole: true });
    assert.ok(!refused.ok && refused.refusal === "too-large", JSON.stringify(refused));
  });

  it("refuses FIFOs, devices, links out of the tree, links when asked, and .git unless allowed", async () => {
    const cases: [string, Partial<Parameters<typeof readRepoFile>[2]>, string, RegExp][] = [
      ["pipe", {}, "special", /pipe is not a regular file \(a FIFO\)/],
      ["zero", {}, "outside", /outside the working copy/],
      ["docs/link.md", { links: "refuse" }, "link", /docs\/link\.md is a symbolic link/],
      [".git/info/exclude", {}, "outside", /\.git directory/],
      ["docs", {}, "directory", /docs is a directory/],
      ["nope.md", {}, "missing", /nope\.md does not exist/],
    ];
    for (const [path, options, refusal, message] of cases) {
      const result = await read(path, options);
      assert.ok(!result.ok, path);
      assert.equal(result.refusal, refusal, path);
      assert.match(result.message, message);
    }
    assert.ok((await read(".git/info/exclude", { allowGit: true })).ok);
    const device = await within(2_000, readRepoFile("/dev", "null", { maxBytes: 16 }), "reading /dev/null");
    assert.ok(!device.ok && /null is not a regular file \(a character device\)/.test(device.message));
  });

  it("an aborted signal settles the read at once with its reason", async () => {
    const controller = new AbortController();
    controller.abort(new Error("task cancelled"));
    await assert.rejects(read("docs/a.md", { signal: controller.signal }), /task cancelled/);
  });

  it("writes regular files and refuses to write a FIFO, without blocking", async () => {
    await writeRepoFile(join(root, "docs", "new.md"), "docs/new.md", "hello");
    assert.equal(await readFile(join(root, "docs", "new.md"), "utf8"), "hello");
    await assert.rejects(within(2_000, writeRepoFile(join(root, "pipe"), "pipe", "x"), "writing a FIFO"), (error: unknown) => {
      assert.ok(error instanceof PathError);
      assert.match(error.message, /pipe is not a regular file \(a FIFO\); it was not written/);
      return true;
    });
  });
});
