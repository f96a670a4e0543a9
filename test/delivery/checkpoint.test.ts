import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "vitest";
import { createAgent } from "../../src/agent/agent.ts";
import { isPaused } from "../../src/agent/port.ts";
import { defaultRepoConfig } from "../../src/config/repo-config.ts";
import { checkpoint } from "../../src/delivery/checkpoint.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import type { Task } from "../../src/domain/model.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { RecordingProgress } from "../helpers/fake-llm/loop-kit.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../helpers/fake-llm/server.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";
import { branchSha, gitOut } from "../helpers/git/repo.ts";
import { settingsFor, userTexts } from "../agent/agent-fixture.ts";
import { deliveryFixture, REQUESTER_ID, type DeliveryFixture } from "./fixture.ts";

/**
 * A paused task's work-in-progress commit, pushed to a real git remote
 * through delivery's steps (scan before push, no pull request), and a resume
 * that goes on from it: the real agent (OpenAI SDK against the fake model
 * server) on a workspace prepared on the task's branch sees the earlier
 * change, and the final delivery opens the pull request on top of the WIP.
 */
describe("checkpoint: the work of a paused task", { timeout: 180_000 }, () => {
  let fx: DeliveryFixture;
  let llm: FakeLlm;
  beforeAll(async () => {
    fx = await deliveryFixture();
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm?.close();
    await fx?.close();
  });
  beforeEach(() => llm.reset());
  afterEach(() => GitHubMock.reset());

  const remote = () => fx.git.server.repoPath(fx.git.owner, fx.git.repo);
  const agent = () => createAgent({ settings: settingsFor("openai", llm), dataDir: fx.git.dataDir, secrets: [] });
  const execute = (task: Task, ws: Workspace, over: Partial<Parameters<ReturnType<typeof agent>["execute"]>[0]> = {}) =>
    agent().execute({
      task,
      plan: task.plan!,
      thread: { title: task.issueTitle, body: "", comments: [] },
      config: { ...defaultRepoConfig(), budgets: { max_turns: 2 } },
      workdir: ws.dir,
      home: ws.homeDir,
      changes: ws.changes,
      feedback: null,
      progress: new RecordingProgress(),
      signal: new AbortController().signal,
      ...over,
    });

  it("commits only the change as WIP, pushes it without a pull request, and a resume goes on from it", async () => {
    const task = fx.task({ id: "t-pause-1", issueNumber: 31, state: "working" });
    const branch = "jules/31-make-the-answer-a-constant";
    const gh = new GitHubMock(fx.git.owner, fx.git.repo);
    const first = await fx.git.manager.prepare(fx.git.request(task.id));
    let wip: string;
    try {
      llm.push(call("edit_file", { path: "src/index.js", old_string: "41 + 1", new_string: "42" }), call("list_files", {}, { text: "Now the guide." }));
      const outcome = await execute(task, first);
      assert.ok(isPaused(outcome));
      await writeFile(join(first.dir, "build.log"), "left by a command, never committed\n");
      const input = { ...fx.input(task, first), reason: outcome.reason };
      const result = await checkpoint(input);
      assert.equal(result.kind, "pushed");
      wip = result.kind === "pushed" ? result.sha : "";
      assert.deepEqual(result, { kind: "pushed", branch, sha: await branchSha(remote(), branch) });
      assert.deepEqual(input.recorded, [branch]);
      assert.equal(
        await gitOut(remote(), "log", "-1", "--format=%an%n%B", branch),
        "openjules[bot]\nWIP: Make the answer a constant\n\nWork in progress: the task paused (reached its limit of 2 model turns). OpenJules goes on from this commit when the task is resumed.",
      );
      assert.equal(await gitOut(remote(), "diff", "--name-only", "main", branch), "src/index.js", "only the agent's change, not what commands left");
      gh.assertClean(); // no pull request, no GitHub call at all
    } finally {
      await first.dispose();
    }

    // Resume: the workspace is prepared on the task's branch (as the execute job does with task.branch).
    const resumed: Task = {
      ...task,
      branch,
      pause: { cause: "turns", reason: "reached its limit of 2 model turns", at: task.createdAt, checkpointSha: wip, summary: "Files changed so far: `src/index.js`." },
    };
    const second = await fx.git.manager.prepare(fx.git.request(task.id, { branch }));
    try {
      llm.reset();
      llm.push(
        call("read_file", { path: "src/index.js" }),
        call("edit_file", { path: "docs/guide.md", old_string: "Read me.", new_string: "The answer is 42." }),
        call("finish", { summary: "The answer is the constant 42, and the guide says so." }),
      );
      const outcome = await execute(resumed, second, { config: defaultRepoConfig(), resume: { summary: resumed.pause!.summary!, checkpointSha: wip, branch } });
      assert.ok(!isPaused(outcome));
      assert.match(userTexts(llm.requests[0]!).join("\n"), /# Where the work stopped[\s\S]*Its work so far was committed \([0-9a-f]{12} on jules\/31-make-the-answer-a-constant\)/);
      assert.match(JSON.stringify(llm.requests[1]!.body.messages.at(-1)), /export const answer = 42;/, "the resumed run sees the earlier change: it does not start over");

      new GitHubMock(fx.git.owner, fx.git.repo)
        .userLookup("Codertocat", REQUESTER_ID)
        .openPulls(branch, null)
        .createPull({ number: 9, head: branch, draft: true })
        .reviewRequest(9)
        .checkRun();
      const result = await deliver({ ...fx.input(resumed, second), outcome });
      assert.equal(result.kind, "pull_request");
      assert.equal(await gitOut(remote(), "rev-parse", `${branch}^`), wip, "the final commit sits on the WIP commit");
      assert.equal(await fx.readFromClone(branch, "src/index.js"), "export const answer = 42;\n");
      assert.equal(await fx.readFromClone(branch, "docs/guide.md"), "The answer is 42.\n");
    } finally {
      await second.dispose();
    }
  });

  it("never pushes a change with a secret in it", async () => {
    const task = fx.task({ id: "t-pause-2", issueNumber: 32, state: "working" });
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await writeFile(join(ws.dir, "src/config.js"), `export const token = "${FAKE.githubClassic}";\n`);
      await agentWrote(ws);
      const result = await checkpoint({ ...fx.input(task, ws), reason: "reached its budget of $1.00 (estimated)" });
      assert.equal(result.kind, "blocked");
      assert.match(result.kind === "blocked" ? result.reason : "", /`src\/config\.js` line 1: github-token/);
      assert.ok(!(await fx.remoteBranches()).some((b) => b.startsWith("jules/32-")), "nothing pushed");
    } finally {
      await ws.dispose();
    }
  });

  it("has nothing to keep when the agent changed nothing", async () => {
    const task = fx.task({ id: "t-pause-3", issueNumber: 33, state: "working" });
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      assert.deepEqual(await checkpoint({ ...fx.input(task, ws), reason: "reached its limit of 2 model turns" }), { kind: "nothing" });
      assert.ok(!(await fx.remoteBranches()).some((b) => b.startsWith("jules/33-")));
    } finally {
      await ws.dispose();
    }
  });
});
