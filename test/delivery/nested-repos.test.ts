import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { deliver } from "../../src/delivery/deliver.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { markerDir, markersIn, plantHostileRepo } from "../helpers/git/hostile-repo.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";
import { deliveryFixture, REQUESTER_ID, type DeliveryFixture } from "./fixture.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";

/**
 * Issue 8, item 1, through delivery: repository code leaves a nested git
 * repository in the worktree whose own config defines filters, textconv,
 * fsmonitor, hooks and the rest. Delivery's git add/diff/status/commit and
 * the recycling of the worktree afterwards must run none of it, and the
 * nested repository must not reach the pull request as a submodule link:
 * it is left out, and the pull request says so.
 */
describe("deliver: a nested repository planted in the worktree", { timeout: 180_000 }, () => {
  let fx: DeliveryFixture;
  let markersParent: string;
  beforeAll(async () => {
    fx = await deliveryFixture();
    markersParent = await tempDir("openjules-markers-");
  });
  afterAll(async () => {
    await fx?.close();
    await rm(markersParent, { recursive: true, force: true });
  });
  afterEach(() => GitHubMock.reset());

  it("runs nothing from it, leaves it out of the commit and says so in the pull request", async () => {
    const markers = await markerDir(markersParent);
    const BRANCH = "jules/1-make-the-answer-a-constant";
    const task = fx.task();
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    let disposed = false;
    try {
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
      await plantHostileRepo(ws.dir, "evil", markers);
      await plantHostileRepo(ws.dir, "src/util/deep", markers);
      await writeFile(join(ws.dir, "src/util/deep/also-here.js"), "inside the nested repository\n");
      await agentWrote(ws);
      const gh = new GitHubMock(fx.git.owner, fx.git.repo)
        .userLookup("Codertocat", REQUESTER_ID)
        .openPulls(BRANCH, null)
        .createPull({ number: 7, head: BRANCH, draft: true })
        .reviewRequest(7)
        .checkRun();

      const result = await deliver(fx.input(task, ws));

      assert.equal(result.kind, "pull_request");
      assert.deepEqual(await markersIn(markers), [], "nothing from the nested repository ran during delivery");
      const remote = fx.git.server.repoPath(fx.git.owner, fx.git.repo);
      const tree = await gitOut(remote, "ls-tree", "-r", "--full-tree", BRANCH);
      assert.doesNotMatch(tree, /^160000 /m, "no submodule link was pushed");
      assert.doesNotMatch(tree, /\tevil|\tsrc\/util\/deep/, "nothing of the nested repositories was committed");
      assert.equal(await fx.readFromClone(BRANCH, "src/index.js"), "export const answer = 42;\n");
      const [pr] = gh.bodies<{ body: string }>("POST", /\/pulls$/);
      assert.match(pr!.body, /### Left out[\s\S]*`evil\/`[\s\S]*nested git repositor/);
      assert.match(pr!.body, /`src\/util\/deep\/`/);
      gh.assertClean();

      await ws.dispose();
      disposed = true;
      assert.deepEqual(await markersIn(markers), [], "nothing ran while the worktree was scrubbed and parked");
      // The parked worktree is reused by the next task: it must hold nothing of the nested repositories.
      const next = await fx.git.manager.prepare(fx.git.request(`${task.id}-next`));
      try {
        assert.equal(await gitOut(next.dir, "status", "--porcelain", "--ignored", "--untracked-files=all"), "");
        assert.deepEqual(await markersIn(markers), []);
      } finally {
        await next.dispose();
      }
    } finally {
      if (!disposed) await ws.dispose();
    }
    assert.deepEqual(await markersIn(markers), []);
  });
});
