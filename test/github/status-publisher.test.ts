import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { GitHubMock } from "../helpers/github-mock.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

describe("the status comment", () => {
  let app: TestApp;
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  it("is created once and then edited in place, coalescing bursts of updates into few writes", async () => {
    app = await startTestApp({ startWorker: false, env: { JULES_GITHUB_WRITE_INTERVAL_MS: "200" } });
    const gh = new GitHubMock().token().comments(1).anyEdits();
    const created = await app.store.create(
      {
        installationId: 2,
        owner: "Codertocat",
        repo: "Hello-World",
        issueNumber: 1,
        kind: "issue",
        cloneUrl: "https://github.com/Codertocat/Hello-World.git",
        instruction: "fix it",
        issueTitle: "Bug",
        requestedBy: "Codertocat",
        triggerCommentId: 42,
        command: "jules",
        baseBranch: "main",
      },
      "Codertocat",
      "test",
    );
    assert.ok(created.created);
    const status = app.deps.status;
    let task = await status.create(created.task);
    assert.ok(task.statusCommentId);
    assert.equal(await status.create(task).then((t) => t.statusCommentId), task.statusCommentId, "a second create does not post again");

    const updates: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      task = await app.store.update(task.id, { activity: `read ${i} files` });
      updates.push(status.refresh(task));
    }
    await Promise.all(updates);
    assert.equal(gh.posted().length, 1, "one status comment");
    const edits = gh.edited();
    assert.ok(edits.length >= 1 && edits.length <= 3, `20 updates became ${edits.length} edits`);
    assert.match(edits.at(-1)!, /read 20 files/, "the last edit shows the latest state");
    assert.ok(gh.requests.filter((r) => r.method === "PATCH").every((r) => r.path.endsWith(`/issues/comments/${task.statusCommentId}`)));
    gh.assertClean();
  });
});
