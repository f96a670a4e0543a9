import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { branchName, branchSlug, firstFreeName } from "../../src/workspace/branch.ts";
import { botIdentity, changedLinks, commitSubject, formatCommitMessage } from "../../src/workspace/commit.ts";
import { parseChanges } from "../../src/workspace/diff.ts";
import { WorkspaceError } from "../../src/workspace/errors.ts";
import { evictionOrder } from "../../src/workspace/eviction.ts";
import { basicAuthHeader, redact } from "../../src/workspace/git.ts";
import { ancestors, excludePathspec, parseGitlinks } from "../../src/workspace/nested.ts";
import { assertPushable } from "../../src/workspace/push.ts";

describe("workspace: pure helpers", () => {
  it("reads submodule links from the index and notices any that changed", () => {
    const a = "a".repeat(40);
    const stage = [`100644 ${"1".repeat(40)} 0\tsrc/x.js`, `160000 ${a} 0\tvendor/lib`, `160000 ${"b".repeat(40)} 0\tweird\tname`, ""].join("\0");
    const links = parseGitlinks(stage);
    assert.deepEqual(
      [...links],
      [
        ["vendor/lib", a],
        ["weird\tname", "b".repeat(40)],
      ],
    );
    assert.deepEqual(changedLinks(links, links), []);
    assert.deepEqual(changedLinks(links, new Map([...links, ["evil", a]])), ["evil"], "a new link");
    assert.deepEqual(changedLinks(links, new Map([["vendor/lib", "c".repeat(40)]])), ["vendor/lib", "weird\tname"], "a changed and a removed link");
  });

  it("names ancestors outermost first and excludes paths literally from the top", () => {
    assert.deepEqual(ancestors("a/b/c.txt"), ["a", "a/b"]);
    assert.deepEqual(ancestors("evil/"), []);
    assert.deepEqual(ancestors("top.txt"), []);
    assert.equal(excludePathspec("src/*deep/"), ":(top,exclude,literal)src/*deep");
  });

  it("slugs titles into lowercase ASCII with dashes, at most 40 characters", () => {
    assert.equal(branchSlug("Fix the Ünïcode crash in `parse()`!"), "fix-the-unicode-crash-in-parse");
    assert.equal(branchSlug("   "), "task");
    assert.equal(branchSlug("日本語のタイトル"), "task");
    const long = branchSlug("Refactor the configuration loader so that nested includes resolve relative paths");
    assert.ok(long.length <= 40, long);
    assert.equal(long, "refactor-the-configuration-loader-so");
    assert.equal(branchSlug("a".repeat(60)), "a".repeat(40));
    assert.equal(branchName(12, "Add docs"), "jules/12-add-docs");
    assert.throws(() => branchName(0, "x"), WorkspaceError);
  });

  it("appends -2, -3, ... until the name is free", () => {
    assert.equal(firstFreeName("jules/1-x", new Set()), "jules/1-x");
    assert.equal(firstFreeName("jules/1-x", new Set(["jules/1-x", "jules/1-x-2"])), "jules/1-x-3");
  });

  it("formats commit messages: subject at most 72 characters, body, co-author trailer", () => {
    const subject = commitSubject("Make the configuration loader resolve nested include paths relative to the including file");
    assert.ok(subject.length <= 72 && subject.endsWith("…"), subject);
    assert.equal(commitSubject("  Fix\n the   bug "), "Fix the bug");
    assert.equal(
      formatCommitMessage({ subject: "Fix it", body: "Because.\r\n", coAuthor: { login: "octocat", id: 1 } }),
      "Fix it\n\nBecause.\n\nCo-authored-by: octocat <1+octocat@users.noreply.github.com>\n",
    );
    assert.throws(() => formatCommitMessage({ subject: "x", body: "  " }), /body/);
    assert.throws(() => formatCommitMessage({ subject: "x", body: "y", coAuthor: { login: "a b>", id: 1 } }), WorkspaceError);
    assert.deepEqual(botIdentity({ slug: "openjules", userId: 7 }, "users.noreply.ghe.example.com"), {
      name: "openjules[bot]",
      email: "7+openjules[bot]@users.noreply.ghe.example.com",
    });
  });

  it("parses changed paths and binary flags from git's -z output", () => {
    const nameStatus = "M\0src/a.js\0A\0img.png\0D\0old name.txt\0";
    const numstat = "1\t1\tsrc/a.js\0-\t-\timg.png\0" + "0\t3\told name.txt\0";
    assert.deepEqual(parseChanges(nameStatus, numstat), [
      { path: "src/a.js", status: "modified", binary: false },
      { path: "img.png", status: "added", binary: true },
      { path: "old name.txt", status: "deleted", binary: false },
    ]);
  });

  it("orders eviction candidates least recently used first, skipping protected ones", () => {
    const entries = [
      { path: "/m/a", sizeBytes: 1, lastUsedMs: 30 },
      { path: "/m/b", sizeBytes: 1, lastUsedMs: 10 },
      { path: "/m/c", sizeBytes: 1, lastUsedMs: 20 },
    ];
    assert.deepEqual(
      evictionOrder(entries, new Set(["/m/c"])).map((e) => e.path),
      ["/m/b", "/m/a"],
    );
  });

  it("redacts the token and its encodings", () => {
    const token = "ghs_secret123";
    const text = `x ${token} y ${basicAuthHeader(token)} z ${encodeURIComponent(token)}`;
    const clean = redact(text, [token]);
    assert.ok(!clean.includes(token) && !clean.includes(basicAuthHeader(token).slice(6)), clean);
  });

  it("only pushes plain branch names the app created", () => {
    assert.doesNotThrow(() => assertPushable("jules/1-x", ["jules/1-x"]));
    for (const bad of ["+jules/1-x", "jules/1-x:main", "-f", "a..b", "refs/heads/x y"]) {
      assert.throws(() => assertPushable(bad, [bad]), WorkspaceError, bad);
    }
    assert.throws(() => assertPushable("main", ["jules/1-x"]), /did not create/);
  });
});
