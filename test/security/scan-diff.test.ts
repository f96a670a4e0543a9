import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, unlink, writeFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { scanDiff } from "../../src/security/secret-scan.ts";
import { addedBlocks } from "../../src/security/unified-diff.ts";
import { FAKE, fakePrivateKey } from "../helpers/fake-secrets.ts";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, GIT_CONFIG_NOSYSTEM: "1" },
  });

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe("scanDiff on a real git diff", () => {
  let dir = "";
  let diff = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-scan-diff-"));
    git(dir, "init", "-q");
    await writeFile(join(dir, "config.py"), `${numbered(20).join("\n")}\n`);
    await writeFile(join(dir, "old-secret.txt"), `token = ${FAKE.githubOauth}\n`);
    await writeFile(join(dir, "moved.ts"), "export const a = 1;\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "base");

    const config = numbered(20);
    config.splice(9, 0, `AWS_ACCESS_KEY_ID = "${FAKE.awsAccessKeyId}"`); // becomes line 10
    config[14] = "line 15 changed, nothing secret";
    await writeFile(join(dir, "config.py"), `${config.join("\n")}\n`);
    await unlink(join(dir, "old-secret.txt")); // removing a secret is not leaking it
    await mkdir(join(dir, "deploy"));
    await writeFile(join(dir, "deploy", "id_rsa"), `${fakePrivateKey()}\n`);
    await writeFile(join(dir, "notes with space é.md"), `# Notes\n\nnothing\nslack: ${FAKE.slackBot}\n`);
    await writeFile(join(dir, "plus.txt"), `++ not a header ${FAKE.npm}\n+++ b/fake-header\n`);
    await rename(join(dir, "moved.ts"), join(dir, "renamed.ts"));
    await writeFile(join(dir, "renamed.ts"), `export const a = 1;\nexport const key = "${FAKE.anthropic}";\n`);
    git(dir, "add", "-A");
    diff = git(dir, "diff", "--cached", "-M");
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reports each added secret with its file and line in the new file", () => {
    const findings = scanDiff(diff);
    assert.deepEqual(
      [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
      [
        { file: "config.py", rule: "aws-access-key-id", line: 10 },
        { file: "deploy/id_rsa", rule: "private-key", line: 1 },
        { file: "notes with space é.md", rule: "slack-token", line: 4 },
        { file: "plus.txt", rule: "npm-token", line: 1 },
        { file: "renamed.ts", rule: "anthropic-key", line: 2 },
      ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    );
  });

  it("ignores removed lines and context lines", () => {
    assert.ok(diff.includes(FAKE.githubOauth), "the removed secret is in the diff");
    assert.equal(scanDiff(diff).some((f) => f.file === "old-secret.txt"), false);
    const blocks = addedBlocks(diff);
    assert.ok(diff.includes("\n line 9\n"), "line 9 is a context line of the diff");
    assert.equal(blocks.some((b) => b.lines.includes("line 9") || b.lines.includes("line 15")), false);
    assert.deepEqual(blocks.find((b) => b.file === "config.py")?.lines, [`AWS_ACCESS_KEY_ID = "${FAKE.awsAccessKeyId}"`]);
  });

  it("reads the same paths from a --no-prefix diff and flags configured values", () => {
    const bare = git(dir, "diff", "--cached", "-M", "--no-prefix");
    const files = new Set(addedBlocks(bare).map((b) => b.file));
    assert.deepEqual([...files].sort(), ["config.py", "deploy/id_rsa", "notes with space é.md", "plus.txt", "renamed.ts"].sort());
    assert.deepEqual(scanDiff(bare, ["line 15 changed"]).filter((f) => f.rule === "configured-secret"), [{ file: "config.py", rule: "configured-secret", line: 15 }]);
  });

  it("finds nothing in a diff without secrets", () => {
    assert.deepEqual(scanDiff("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n x\n+y\n"), []);
  });
});

describe("addedBlocks", () => {
  it("groups consecutive added lines and numbers them in the new file", () => {
    const diff = ["diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -1,3 +1,5 @@", " a", "+b", "+c", " d", "-e", "+f", "\\ No newline at end of file"].join("\n");
    assert.deepEqual(addedBlocks(diff), [
      { file: "f", startLine: 2, lines: ["b", "c"] },
      { file: "f", startLine: 5, lines: ["f"] },
    ]);
  });

  it("unquotes C-quoted paths", () => {
    const diff = ['diff --git "a/t\\303\\251st\\tx" "b/t\\303\\251st\\tx"', "new file mode 100644", "--- /dev/null", '+++ "b/t\\303\\251st\\tx"', "@@ -0,0 +1 @@", "+hi"].join("\n");
    assert.deepEqual(addedBlocks(diff), [{ file: "tést\tx", startLine: 1, lines: ["hi"] }]);
  });
});
