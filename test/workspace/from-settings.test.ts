import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Task } from "../../src/domain/model.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { addCommits } from "../helpers/git/repo.ts";
import { makeTask } from "../render/fixtures.ts";
import { TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

function task(fx: WorkspaceFixture, overrides: Partial<Task>): Task {
  const id = "5f0c1d5e-0000-4000-8000-000000000001";
  return makeTask({ id, owner: "acme", repo: "widget", issueNumber: 3, state: "working", cloneUrl: fx.url, ...overrides });
}

describe("workspace: the Workspaces port built from settings", () => {
  let fx: WorkspaceFixture;
  beforeAll(async () => {
    fx = await workspaceFixture();
    await addCommits(fx.server.repoPath("acme", "widget"), [{ branch: "jules/3-x", files: { "follow.txt": "on the branch\n" } }]);
  });
  afterAll(() => fx.cleanup());

  it("checks out the repository's default branch when the task names none", async () => {
    const workspaces = createWorkspaces({ dataDir: fx.dataDir });
    const checkout = await workspaces.checkout(task(fx, {}), { token: async () => TOKEN });
    try {
      assert.equal(checkout.baseBranch, "main");
      assert.equal(await readFile(join(checkout.dir, "README.md"), "utf8"), "# Widget\n");
    } finally {
      await checkout.dispose();
    }
  });

  it("a follow-up works on the task's own branch", async () => {
    const workspaces = createWorkspaces({ dataDir: fx.dataDir });
    const checkout = (await workspaces.checkout(task(fx, { kind: "follow_up", branch: "jules/3-x", baseBranch: "main" }), { token: async () => TOKEN })) as Workspace;
    try {
      assert.equal(checkout.branch, "jules/3-x");
      assert.equal(await readFile(join(checkout.dir, "follow.txt"), "utf8"), "on the branch\n");
    } finally {
      await checkout.dispose();
    }
  });
});
