import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRepoConfig } from "../../src/config/repo-config.ts";
import { checkPaths } from "../../src/delivery/3-check-paths.ts";
import { confinePath, deniedBy } from "../../src/security/paths.ts";
import type { ChangedFile } from "../../src/workspace/manager.ts";

const file = (path: string): ChangedFile => ({ path, status: "modified", binary: false });
const ctx = { secrets: [], command: "jules" };

/** Files that define what CI runs with the repository's secrets when a same-repository branch is pushed. */
const CI_DEFINITIONS = [
  ".github/workflows/ci.yml",
  ".github/actions/x/action.yml",
  ".github/actions/build/index.js",
  "action.yml",
  "action.yaml",
  "tools/release/action.yml",
  ".gitlab-ci.yml",
  ".gitlab/ci/deploy.yml",
  ".circleci/config.yml",
  "Jenkinsfile",
  "ci/Jenkinsfile",
  ".buildkite/pipeline.yml",
  "azure-pipelines.yml",
  ".azure-pipelines/release.yml",
  ".travis.yml",
  "bitbucket-pipelines.yml",
  ".drone.yml",
  ".woodpecker.yml",
  ".woodpecker/test.yml",
  "appveyor.yml",
  ".appveyor.yml",
  ".cirrus.yml",
  "cloudbuild.yaml",
  ".GITHUB/ACTIONS/x/action.yml",
];

describe("default deny_paths", () => {
  const denyPaths = defaultRepoConfig().deny_paths;

  it("refuses a change under .github/actions/x/action.yml (a composite action a workflow runs with secrets)", () => {
    const blocked = checkPaths([file(".github/actions/x/action.yml")], denyPaths, ctx);
    assert.equal(blocked?.kind, "blocked");
    assert.match(blocked?.reason ?? "", /`\.github\/actions\/x\/action\.yml` \(matches `\.github\/actions\/\*\*`\)/);
  });

  it("refuses every file that defines what CI runs with secrets", () => {
    for (const path of CI_DEFINITIONS) assert.notEqual(deniedBy(path, denyPaths), null, path);
  });

  it("lets ordinary files through, including ones that only act after review and merge", () => {
    for (const path of [
      "src/a.ts",
      "README.md",
      "docs/action.yml.md",
      "src/actions/x.ts",
      ".github/dependabot.yml",
      ".github/CODEOWNERS",
      ".github/ISSUE_TEMPLATE/bug.md",
      "package.json",
    ]) {
      assert.equal(deniedBy(path, denyPaths), null, path);
    }
    assert.equal(checkPaths([file("src/a.ts"), file(".github/CODEOWNERS")], denyPaths, ctx), null);
  });

  it("keeps the agent's write tools off those paths too", async () => {
    const root = await mkdtemp(join(tmpdir(), "deny-paths-"));
    try {
      await assert.rejects(confinePath(root, ".github/actions/x/action.yml", { write: true, denyPaths }), /deny_paths|denied|protect/i);
      await confinePath(root, "src/a.ts", { write: true, denyPaths });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
