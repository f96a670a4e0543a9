import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { readPushed, type PushedObject } from "../../src/workspace/pushed.ts";
import { createBareRepo, gitOut } from "../helpers/git/repo.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";
import { logGitCommands, type GitCommandLog } from "./git-command-log.ts";

/**
 * What a push would send (read for the secret scan before every push): each
 * commit between the base and HEAD and each file content they add or change,
 * read in a fixed number of git commands however many commits there are (one
 * `diff-tree --stdin` for all of them, not one per commit).
 */

const COMMITS = 12;

describe("workspace: readPushed", { timeout: 60_000 }, () => {
  let root = "";
  let repo = "";
  let log: GitCommandLog;
  beforeAll(async () => {
    root = await tempDir("openjules-pushed-");
    repo = join(root, "repo.git");
    const commits = [
      { files: { "README.md": "# base\n", "src/a.txt": "a on base\n" }, message: "base" },
      ...Array.from({ length: COMMITS }, (_, i) => ({ files: { [`src/f${i}.txt`]: `file ${i}\n`, "src/a.txt": `a at ${i}\n` }, message: `commit ${i}` })),
    ];
    await createBareRepo(repo, commits);
    log = await logGitCommands();
  });
  afterAll(async () => {
    await log.restore();
    await rm(root, { recursive: true, force: true });
  });

  it("yields every commit and every changed file with its base content, in a fixed number of git commands", async () => {
    const base = await gitOut(repo, "rev-parse", `main~${COMMITS}`);
    await log.reset();
    const seen: PushedObject[] = [];
    for await (const object of readPushed(repo, base, 1024 * 1024)) seen.push(object);
    const ran = await log.commands();
    assert.ok(ran.length <= 6, `${ran.length} git commands:\n${ran.join("\n")}`);

    const commits = seen.filter((o) => o.kind === "commit");
    assert.equal(commits.length, COMMITS);
    assert.ok(commits.every((c) => c.kind === "commit" && c.raw.toString().startsWith("tree ")));
    const files = seen.flatMap((o) => (o.kind === "file" ? [o] : []));
    const paths = new Set(files.map((f) => f.path));
    assert.deepEqual([...paths].sort(), ["src/a.txt", ...Array.from({ length: COMMITS }, (_, i) => `src/f${i}.txt`)].sort());
    // Every version of src/a.txt the commits wrote is scanned, each with the base's content beside it.
    const versions = files.filter((f) => f.path === "src/a.txt");
    assert.equal(versions.length, COMMITS);
    assert.deepEqual(new Set(versions.map((v) => v.bytes?.toString())), new Set(Array.from({ length: COMMITS }, (_, i) => `a at ${i}\n`)));
    assert.ok(versions.every((v) => v.before?.toString() === "a on base\n"));
    const added = files.find((f) => f.path === "src/f3.txt");
    assert.equal(added?.bytes?.toString(), "file 3\n");
    assert.equal(added?.before, null);
  });

  it("nothing between the base and HEAD: nothing to read", async () => {
    const seen: PushedObject[] = [];
    for await (const object of readPushed(repo, await gitOut(repo, "rev-parse", "main"), 1024)) seen.push(object);
    assert.deepEqual(seen, []);
  });
});
