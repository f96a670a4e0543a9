import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { PathError, confinePath, deniedBy } from "../../src/security/paths.ts";

/** Path confinement on real temp directories, including symlink escapes. */

describe("confinePath", () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "openjules-paths-"));
    root = join(base, "repo");
    outside = join(base, "outside");
    await mkdir(join(root, "src", "nested"), { recursive: true });
    await mkdir(join(root, ".git"), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(root, "src", "a.ts"), "a");
    await writeFile(join(root, ".git", "config"), "[core]");
    await writeFile(join(outside, "secret.txt"), "secret");
    await symlink(outside, join(root, "escape-dir"));
    await symlink(join(outside, "secret.txt"), join(root, "escape-file"));
    await symlink(join(root, "src"), join(root, "src-link"));
    await symlink(join(root, ".git"), join(root, "git-link"));
    await symlink(join(base, "missing"), join(root, "dangling"));
    await symlink("../../outside", join(root, "src", "relative-escape"));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const refuses = async (input: string, pattern: RegExp, write = false) => {
    await assert.rejects(confinePath(root, input, { write }), (error: unknown) => {
      assert.ok(error instanceof PathError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  };

  it("resolves relative paths inside the root, existing or not", async () => {
    const { abs, rel, real } = await confinePath(root, "src/a.ts");
    assert.deepEqual({ abs, rel, real }, { abs: join(root, "src", "a.ts"), rel: "src/a.ts", real: join(root, "src", "a.ts") });
    assert.equal((await confinePath(root, "./src/../src/new/deep/file.ts", { write: true })).rel, "src/new/deep/file.ts");
    assert.equal((await confinePath(root, ".")).rel, "");
  });

  it("accepts an absolute path inside the root", async () => {
    assert.equal((await confinePath(root, join(root, "src", "a.ts"))).rel, "src/a.ts");
  });

  it("refuses .. escapes and absolute paths outside", async () => {
    await refuses("../outside/secret.txt", /outside the working copy/);
    await refuses("src/../../outside", /outside the working copy/);
    await refuses("/etc/passwd", /outside the working copy/);
    await refuses(join(outside, "secret.txt"), /outside the working copy/);
  });

  it("refuses symbolic links that lead outside, at any component", async () => {
    await refuses("escape-file", /symbolic link to a place outside/);
    await refuses("escape-dir/secret.txt", /symbolic link to a place outside/);
    await refuses("escape-dir/new-file.txt", /symbolic link to a place outside/, true);
    await refuses("src/relative-escape/secret.txt", /symbolic link to a place outside/);
  });

  it("refuses dangling links, whose target a write would create outside", async () => {
    await refuses("dangling", /symbolic link whose target does not exist/, true);
    await refuses("dangling/child.txt", /symbolic link whose target does not exist/, true);
  });

  it("follows links that stay inside the root", async () => {
    assert.equal((await confinePath(root, "src-link/a.ts")).rel, "src-link/a.ts");
  });

  it("refuses anything under .git, directly or through a link", async () => {
    await refuses(".git/config", /inside a \.git directory/);
    await refuses(".git", /inside a \.git directory/);
    await refuses("src/.GIT/hooks/pre-commit", /inside a \.git directory/, true);
    await refuses("git-link/config", /into a \.git directory/);
  });

  it("refuses writes to denied paths, naming the rule, but allows reading them", async () => {
    await refuses(".github/workflows/ci.yml", /matches the denied pattern "\.github\/workflows\/\*\*"/, true);
    await refuses(".GitHub/Workflows/ci.yml", /denied pattern/, true);
    assert.equal((await confinePath(root, ".github/workflows/ci.yml")).rel, ".github/workflows/ci.yml");
    await assert.rejects(confinePath(root, "secrets/prod.env", { write: true, denyPaths: ["secrets/**"] }), /denied pattern "secrets\/\*\*"/);
    assert.equal((await confinePath(root, ".github/workflows/ci.yml", { write: true, denyPaths: [] })).rel, ".github/workflows/ci.yml");
  });

  it("refuses empty paths, NUL bytes and writing the root", async () => {
    await refuses("  ", /empty/);
    await refuses("a\0b", /NUL/);
    await refuses(".", /root itself/, true);
  });

  it("names the matching deny rule", () => {
    assert.equal(deniedBy("infra/prod/main.tf", ["docs/**", "infra/**"]), "infra/**");
    assert.equal(deniedBy("src/a.ts", ["docs/**"]), null);
  });
});
