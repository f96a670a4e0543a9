/**
 * Contract cases: a task keeps the command word it was asked with (`/bot …`
 * where a repository's jules.yml says `command: bot`), so a process that never
 * loaded that repository's config (the CLI, another worker) renders the
 * status comment's hints with the right word.
 */
import { it } from "vitest";
import assert from "node:assert/strict";
import { StatusPublisher } from "../../src/tasks/status-publisher.ts";
import type { GitHubGateways } from "../../src/github/port.ts";
import type { ContractContext } from "./contract.ts";
import { newTask } from "./fixtures.ts";

/** The status is rendered, never posted, in these cases: a gateway that is asked for anything fails the test. */
const noGitHub: GitHubGateways = {
  forInstallation: () => Promise.reject(new Error("no GitHub call is expected while rendering")),
} as unknown as GitHubGateways;

export function commandWordCases(t: ContractContext): void {
  it("keeps the command word a task was asked with, and another reader's status comment shows it", async () => {
    const created = await t.store.create(newTask({ command: "bot" }), "alice", "asked with /bot");
    assert.ok(created.created);
    assert.equal(created.task.command, "bot");
    await t.store.transition(created.task.id, { from: "queued", to: "cancelled", actor: "alice", reason: "cancelled" });

    const reopen = t.fixture.reopen;
    assert.ok(reopen, "every store fixture must offer reopen()");
    await t.store.close();
    const reader = await reopen();
    try {
      const task = await reader.get(created.task.id);
      assert.equal(task?.command, "bot");
      const status = new StatusPublisher({ store: reader, github: noGitHub, log: console as never, webBase: "https://github.com", now: () => new Date() });
      const body = status.render(task!);
      assert.match(body, /`\/bot <what to do>`/);
      assert.doesNotMatch(body, /\/jules/);
    } finally {
      await reader.close();
    }
  });

  it("refuses a command word that jules.yml could not have set", async () => {
    await assert.rejects(t.store.create(newTask({ command: "not a word" }), "alice", "bad"), /command/);
  });
}
