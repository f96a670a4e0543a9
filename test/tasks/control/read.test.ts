import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { mockAnyTokens, mockInstallations } from "../../helpers/github-app-mock.ts";
import type { TaskLogEvent } from "../../../src/domain/model.ts";
import { OWNER, REPO, operator, taskIn, user, withHarness } from "./harness.ts";

/** get, list, events, follow and waitForChange: what a reader sees, history then live through the feed. */
describe("control plane: reading tasks", () => {
  const h = withHarness();

  it("gets a task with its history and links, and lists it for the operator", async () => {
    const task = await taskIn(h(), "awaiting_approval");
    const got = await h().plane.get(operator(), task.id);
    assert.ok(got.ok);
    assert.equal(got.value.task.id, task.id);
    assert.deepEqual(
      got.value.history.map((e) => e.to),
      ["queued", "planning", "awaiting_approval"],
    );
    assert.deepEqual(got.value.links, { issue: null, plan: null, pullRequest: null });
    const listed = await h().plane.list(operator(), { limit: 10, offset: 0 });
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.value.tasks.map((t) => [t.id, t.state, t.repository, t.title]),
      [[task.id, "awaiting_approval", `${OWNER}/${REPO}`, "fix the crash"]],
    );
    assert.equal(listed.value.nextOffset, null);
    const missing = await h().plane.get(operator(), "nope");
    assert.equal(missing.ok ? null : missing.error.code, "not_found");
  });

  it("lists for a user only the repositories they may read, a page at a time", async () => {
    const first = await taskIn(h(), "queued");
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockInstallations(gh, 2, 2);
    gh.role("mona", "read");
    const page = await h().plane.list(user("mona", { scopes: ["read"] }), { limit: 1, offset: 0 });
    assert.ok(page.ok);
    assert.deepEqual(
      page.value.tasks.map((t) => t.id),
      [first.id],
    );
    const elsewhere = await h().plane.list(user("mona", { repositories: ["someone/else"] }), { limit: 10, offset: 0 });
    assert.deepEqual(elsewhere.ok && elsewhere.value.tasks, []);
    gh.assertClean();
  });

  it("follows the event log: history first, then live events as they are written, until aborted", async () => {
    const task = await taskIn(h(), "working");
    const controller = new AbortController();
    const followed = await h().plane.follow(operator(), task.id, { after: 0, signal: controller.signal });
    assert.ok(followed.ok);
    const seen: TaskLogEvent[] = [];
    const done = (async () => {
      for await (const event of followed.value) {
        seen.push(event);
        if (event.data.type === "activity") controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await h().deps.store.appendEvents(task.id, [{ type: "activity", line: "read 3 files" }]);
    await done;
    assert.deepEqual(
      seen.map((e) => (e.data.type === "state" ? e.data.to : e.data.type)),
      ["queued", "planning", "awaiting_approval", "approved", "working", "activity"],
    );
    const page = await h().plane.events(operator(), task.id, { after: seen[2]!.id, limit: 2 });
    assert.deepEqual(page.ok && page.value.map((e) => e.id), [seen[3]!.id, seen[4]!.id]);
  });

  it("waits for a change of state through the feed, and times out with changed: false", async () => {
    const task = await taskIn(h(), "working");
    const quiet = await h().plane.waitForChange(operator(), task.id, { timeoutMs: 50 });
    assert.deepEqual(quiet.ok && [quiet.value.changed, quiet.value.task.state], [false, "working"]);
    const waiting = h().plane.waitForChange(operator(), task.id, { timeoutMs: 5000 });
    setTimeout(() => void h().deps.store.transition(task.id, { from: "working", to: "testing", actor: "openjules", reason: "tests" }), 30);
    const changed = await waiting;
    assert.deepEqual(changed.ok && [changed.value.changed, changed.value.task.state], [true, "testing"]);
    const already = await h().plane.waitForChange(operator(), task.id, { state: "working", timeoutMs: 5000 });
    assert.deepEqual(already.ok && already.value.changed, true);
  });
});
