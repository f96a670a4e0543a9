/**
 * Every MCP tool through the SDK's client over Streamable HTTP, against the
 * real control plane on the real SQLite store, GitHub mocked at HTTP: what
 * each answers, who it records (actor and face mcp), a personal token of a
 * read-only user refused on a write (a tool error with the reason), and
 * wait_for_task returning when another client's call changes the task.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { example } from "../helpers/github-mock.ts";
import { seedTask, writeTranscript } from "../helpers/ops-fixtures.ts";
import { callJson, installedRepository, listedInstallations, mcpFixture, OPERATOR, textOf, type McpFixture } from "./fixture.ts";

let fx: McpFixture;
beforeAll(async () => {
  fx = await mcpFixture();
}, 60_000);
afterAll(async () => {
  await fx?.close();
});
afterEach(() => {
  const violations = fx.github.violations.splice(0);
  expect(violations).toEqual([]);
});

describe("MCP over Streamable HTTP, as the operator", () => {
  it("creates a task without an issue (repository config read, recorded as operator through mcp), and a retried call with the same key answers the same task", async () => {
    const client = await fx.connect(OPERATOR);
    installedRepository(fx.github, 2);
    fx.github.config(null, 2);
    const first = await callJson(client, "create_task", { repository: "Codertocat/Hello-World", instruction: "Add a --verbose flag", idempotency_key: "k-1" });
    expect(first).toMatchObject({ created: true, task: { repository: "Codertocat/Hello-World", issueNumber: null, face: "mcp", requestedBy: "operator", baseBranch: "main" } });
    const again = await callJson(client, "create_task", { repository: "Codertocat/Hello-World", instruction: "Add a --verbose flag", idempotency_key: "k-1" });
    expect(again).toMatchObject({ created: false, task: { id: first.task.id } });
    const view = await callJson(client, "get_task", { id: first.task.id });
    expect(view.history[0]).toMatchObject({ to: "queued", actor: "operator", face: "mcp" });
    const page = await callJson(client, "list_tasks", { repository: "Codertocat/Hello-World", limit: 50 });
    expect(page.tasks.map((t: { id: string }) => t.id)).toContain(first.task.id);
  });

  it("approves a waiting plan, and refuses a second approval with the reason", async () => {
    const client = await fx.connect(OPERATOR);
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    fx.github.token(2);
    fx.github.config(null, 2);
    expect(await callJson(client, "approve_plan", { id: task.id, note: "looks right" })).toMatchObject({ id: task.id, state: "approved" });
    const again = textOf(await client.callTool({ name: "approve_plan", arguments: { id: task.id } }));
    expect(again.isError).toBe(true);
    expect(again.text).toMatch(/approved/i);
  });

  it("revises a waiting plan with feedback", async () => {
    const client = await fx.connect(OPERATOR);
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    const revised = await callJson(client, "revise_plan", { id: task.id, feedback: "keep the old flag too" });
    expect(revised.id).toBe(task.id);
    expect(["revising", "queued", "planning"]).toContain(revised.state);
  });

  it("sends a message: to a working task for its next turn", async () => {
    const client = await fx.connect(OPERATOR);
    const task = await seedTask(fx.store, "working", { issueNumber: null });
    expect(await callJson(client, "send_message", { id: task.id, text: "also update the README" })).toMatchObject({
      delivery: "next_turn",
      task: { id: task.id, state: "working" },
    });
    const events = await fx.store.readEvents(task.id, 0, 100);
    expect(events.map((e) => e.data)).toContainEqual(expect.objectContaining({ type: "message", from: "operator", face: "mcp", text: "also update the README" }));
  });

  it("sends a message: to a paused task, kept until it resumes", async () => {
    const client = await fx.connect(OPERATOR);
    const working = await seedTask(fx.store, "working", { issueNumber: null });
    const pause = { cause: "turns" as const, reason: "reached its limit of 2 model turns", at: new Date().toISOString(), checkpointSha: null, summary: "did half" };
    const task = (await fx.store.transition(working.id, { from: "working", to: "paused", actor: "openjules", reason: "test", patch: { pause } }))!;
    expect(await callJson(client, "send_message", { id: task.id, text: "keep the README short" })).toMatchObject({
      delivery: "on_resume",
      task: { id: task.id, state: "paused" },
    });
    expect((await fx.store.takeMessages(task.id)).map((m) => m.body)).toEqual(["keep the README short"]);
  });

  it("pauses a working task, refuses to resume it beyond the operator's cap, resumes it, and cancels it", async () => {
    const client = await fx.connect(OPERATOR);
    const task = await seedTask(fx.store, "working", { issueNumber: null });
    const paused = await callJson(client, "pause_task", { id: task.id, reason: "lunch" });
    expect(paused.id).toBe(task.id);
    // A pause is a request the agent takes at its next turn; with no agent running here the worker's part is played by the store.
    const moved = await fx.store.transition(task.id, {
      from: "working",
      to: "paused",
      actor: "openjules",
      reason: "paused",
      patch: { pause: { cause: "operator", reason: "paused by the operator", at: new Date().toISOString(), checkpointSha: null, summary: null } },
    });
    expect(moved?.state).toBe("paused");
    fx.github.token(2);
    fx.github.config(null, 2);
    const beyond = textOf(await client.callTool({ name: "resume_task", arguments: { id: task.id, extra_budget: "10 turns" } }));
    expect(beyond).toMatchObject({ isError: true, text: expect.stringContaining("Beyond the operator's cap: ") });
    expect(await callJson(client, "resume_task", { id: task.id })).toMatchObject({ id: task.id, state: "approved" });
    expect(await callJson(client, "cancel_task", { id: task.id, reason: "enough" })).toMatchObject({ id: task.id, state: "cancelled" });
    expect((await fx.store.history(task.id)).at(-1)).toMatchObject({ to: "cancelled", actor: "operator", face: "mcp" });
  });

  it("retries a failed task", async () => {
    const client = await fx.connect(OPERATOR);
    const task = await seedTask(fx.store, "failed", { issueNumber: null });
    const retried = await callJson(client, "retry_task", { id: task.id });
    expect(retried.state).not.toBe("failed");
  });

  it("lists the repositories it may use", async () => {
    const client = await fx.connect(OPERATOR);
    listedInstallations(fx.github);
    expect(await callJson(client, "list_repositories")).toEqual([{ fullName: "Codertocat/Hello-World", defaultBranch: "main", private: false }]);
  });

  it("lists a repository's branches", async () => {
    const client = await fx.connect(OPERATOR);
    installedRepository(fx.github);
    const path = `${fx.github.repoPath}/branches?per_page=100`;
    const branches = example<{ name: string }[]>("branch-short-items");
    fx.github.scope.get(path).reply(200, fx.github.reply(200, "GET", path, branches));
    expect(await callJson(client, "list_branches", { repository: "Codertocat/Hello-World" })).toEqual(branches.map((b) => b.name));
  });

  it("shows a task's diff against its base, and says why there is none before the branch", async () => {
    const client = await fx.connect(OPERATOR);
    const before = await seedTask(fx.store, "working", { issueNumber: null, baseBranch: "main" });
    expect(textOf(await client.callTool({ name: "get_task_diff", arguments: { id: before.id } }))).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^No branch yet: /),
    });
    const task = await fx.store.update(before.id, { branch: "jules/add-flag" });
    const diff = "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # Hello\n+--verbose\n";
    fx.github.token();
    fx.github.scope.get(`${fx.github.repoPath}/compare/main...jules%2Fadd-flag`).reply(200, diff, { "content-type": "text/plain; charset=utf-8" });
    const { text, isError } = textOf(await client.callTool({ name: "get_task_diff", arguments: { id: task!.id } }));
    expect(isError).toBe(false);
    expect(text).toBe(`base: main\nbranch: jules/add-flag\n\n${diff}`);
  });

  it("a tool's input is checked by its schema before the control plane sees it", async () => {
    const client = await fx.connect(OPERATOR);
    const bad = textOf(await client.callTool({ name: "create_task", arguments: { repository: "not-a-repository", instruction: "x" } }));
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain("a repository is owner/name");
  });
});

describe("MCP over Streamable HTTP, with personal tokens", () => {
  it("refuses a write to a user whose role is read, as a tool error with the reason; the task is untouched", async () => {
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    fx.github.token(2);
    fx.github.role("reader", "read", 2);
    const client = await fx.connect(fx.tokens.reader);
    expect((await callJson(client, "get_task", { id: task.id })).task.state).toBe("awaiting_approval");
    const refused = textOf(await client.callTool({ name: "approve_plan", arguments: { id: task.id } }));
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe(
      "Not allowed: reader has the read role on Codertocat/Hello-World; changing tasks needs write, maintain or admin (as a /jules comment does): a repository admin can grant it",
    );
    expect((await fx.store.get(task.id))?.state).toBe("awaiting_approval");
  });
});

describe("wait_for_task", () => {
  it("returns as soon as another client's call changes the task's state", async () => {
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    const watcher = await fx.connect(OPERATOR);
    const actor = await fx.connect(OPERATOR);
    const started = Date.now();
    const waiting = callJson(watcher, "wait_for_task", { id: task.id, timeout_seconds: 60 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await callJson(actor, "cancel_task", { id: task.id });
    expect(await waiting).toMatchObject({ changed: true, task: { id: task.id, state: "cancelled" } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("returns at once when the task already left the state the caller last saw", async () => {
    const task = await seedTask(fx.store, "working", { issueNumber: null });
    const client = await fx.connect(OPERATOR);
    expect(await callJson(client, "wait_for_task", { id: task.id, state: "approved", timeout_seconds: 60 })).toMatchObject({ changed: true, task: { state: "working" } });
  });

  it("answers changed: false after its timeout, with progress notifications while it waits", async () => {
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    const client = await fx.connect(OPERATOR);
    const progress: number[] = [];
    const started = Date.now();
    const result = await client.callTool({ name: "wait_for_task", arguments: { id: task.id, timeout_seconds: 1 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(JSON.parse(textOf(result).text)).toMatchObject({ changed: false, task: { state: "awaiting_approval" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});

describe("resources", () => {
  it("lists the task resources and reads a task's event log and transcript", async () => {
    const client = await fx.connect(OPERATOR);
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    await writeTranscript(fx.app.dataDir, task.id);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining([`openjules://tasks/${task.id}/events`, `openjules://tasks/${task.id}/transcript`]));
    const events = (await client.readResource({ uri: `openjules://tasks/${task.id}/events` })).contents[0] as { text: string; mimeType: string };
    expect(events.mimeType).toBe("application/json");
    const log = JSON.parse(events.text) as { events: { id: number; data: { type: string; to?: string } }[]; next: string | null };
    expect(log.events.filter((e) => e.data.type === "state").map((e) => e.data.to)).toEqual(["queued", "planning", "awaiting_approval"]);
    const second = log.events[1]!.id;
    const page = JSON.parse(((await client.readResource({ uri: `openjules://tasks/${task.id}/events?after=${second}` })).contents[0] as { text: string }).text);
    expect(page.events.map((e: { id: number }) => e.id)).toEqual(log.events.slice(2).map((e) => e.id));
    const transcript = (await client.readResource({ uri: `openjules://tasks/${task.id}/transcript` })).contents[0] as { text: string };
    expect(transcript.text.split("\n")[0]).toContain('"type":"start"');
    expect(transcript.text).toContain("[REDACTED");
    expect(transcript.text).not.toContain("sk-test-secret-value-123456");
  });

  it("a token that may not see the task's repository reads neither resource (not found, with the reason)", async () => {
    const task = await seedTask(fx.store, "awaiting_approval", { issueNumber: null });
    await writeTranscript(fx.app.dataDir, task.id);
    const client = await fx.connect(fx.tokens.elsewhere);
    listedInstallations(fx.github);
    for (const uri of [`openjules://tasks/${task.id}/events`, `openjules://tasks/${task.id}/transcript`]) {
      await expect(client.readResource({ uri })).rejects.toThrow(new RegExp(`${task.id}`));
    }
    expect((await client.listResources()).resources).toEqual([]);
    const get = textOf(await client.callTool({ name: "get_task", arguments: { id: task.id } }));
    expect(get.isError).toBe(true);
  });
});
