/**
 * `openjules mcp` as an MCP client starts it: the real bin as a child
 * process, spoken to over its stdin and stdout by the SDK's own client
 * (StdioClientTransport), on the real SQLite store of a temporary data
 * directory that this test seeds, GitHub a stand-in server (GHE_HOST). The
 * child acts as the operator through face `mcp`; nothing but the protocol
 * may reach its stdout.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.ts";
import { seedTask, writeTranscript } from "../helpers/ops-fixtures.ts";

const BIN = fileURLToPath(new URL("../../bin/openjules.js", import.meta.url));
const NODE = fileURLToPath(new URL("../../node_modules/.bin/node", import.meta.url));

let dataDir: string;
let store: TaskStore;
let client: Client;
let transport: StdioClientTransport;
let github: GitHubStandin;
const protocolErrors: Error[] = [];

const textOf = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
const call = async (name: string, args: Record<string, unknown>) => {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return JSON.parse(textOf(result)) as Record<string, any>;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "mcp-stdio-"));
  store = openSqliteStore(join(dataDir, "openjules.db"));
  github = await startGitHubStandin();
  transport = new StdioClientTransport({
    command: NODE,
    args: [BIN, "mcp"],
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dataDir,
      APP_ID: "1",
      PRIVATE_KEY: Buffer.from(testPrivateKey()).toString("base64"),
      WEBHOOK_SECRET: "secret",
      JULES_DATA_DIR: dataDir,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "debug",
    },
    stderr: "ignore",
  });
  client = new Client({ name: "stdio-test", version: "1.0.0" });
  // A line on stdout that is not the protocol (a stray log line) reaches the client as an error here.
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await store?.close();
  await github?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("openjules mcp (stdio, spawned)", () => {
  it("introduces itself and lists the tools, each with a description and an object input schema", async () => {
    expect(client.getServerVersion()?.name).toBe("openjules");
    expect(client.getInstructions()).toContain("wait_for_task");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "approve_plan",
        "cancel_task",
        "create_task",
        "get_task",
        "get_task_diff",
        "list_branches",
        "list_repositories",
        "list_tasks",
        "pause_task",
        "resume_task",
        "retry_task",
        "revise_plan",
        "send_message",
        "wait_for_task",
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe("object");
    }
    expect(tools.find((t) => t.name === "create_task")?.inputSchema.required).toEqual(["repository", "instruction"]);
  });

  it("lists and shows the tasks of the local store, as the operator", async () => {
    const task = await seedTask(store, "awaiting_approval", { issueNumber: null });
    const page = await call("list_tasks", { state: "awaiting_approval" });
    expect(page.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
    const view = await call("get_task", { id: task.id });
    expect(view.task).toMatchObject({ id: task.id, state: "awaiting_approval", repository: "Codertocat/Hello-World", plan: { summary: task.plan?.summary } });
    expect(view.history.map((h: { to: string }) => h.to)).toEqual(["queued", "planning", "awaiting_approval"]);
  });

  it("wait_for_task returns when another call on the same connection cancels the task, and the history says operator through mcp", async () => {
    const task = await seedTask(store, "awaiting_approval", { issueNumber: null });
    const started = Date.now();
    const waiting = call("wait_for_task", { id: task.id, timeout_seconds: 30 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = await call("cancel_task", { id: task.id, reason: "not needed any more" });
    expect(cancelled.state).toBe("cancelled");
    const waited = await waiting;
    expect(waited).toMatchObject({ changed: true, task: { id: task.id, state: "cancelled" } });
    expect(Date.now() - started).toBeLessThan(10_000);
    const last = (await store.history(task.id)).at(-1);
    expect(last).toMatchObject({ to: "cancelled", actor: "operator", face: "mcp" });
  });

  it("wait_for_task sees a change another process makes (a worker's, here this test's own write to the store)", async () => {
    const task = await seedTask(store, "awaiting_approval", { issueNumber: null });
    const waiting = call("wait_for_task", { id: task.id, timeout_seconds: 30 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await store.transition(task.id, { from: "awaiting_approval", to: "approved", actor: "octocat", reason: "approved in the thread" });
    expect(await waiting).toMatchObject({ changed: true, task: { id: task.id, state: "approved" } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("wait_for_task answers changed: false after its timeout when nothing happens", async () => {
    const task = await seedTask(store, "awaiting_approval", { issueNumber: null });
    const started = Date.now();
    expect(await call("wait_for_task", { id: task.id, timeout_seconds: 1 })).toMatchObject({ changed: false, task: { state: "awaiting_approval" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("a use case's refusal is a tool error with the reason, and the connection goes on", async () => {
    const result = (await client.callTool({ name: "approve_plan", arguments: { id: "no-such-task" } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/no-such-task/);
    const invalid = (await client.callTool({ name: "get_task", arguments: { id: "not a task id!" } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toContain("a task id has 1 to 64 letters");
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("serves the event log and the transcript as resources", async () => {
    const task = await seedTask(store, "awaiting_approval", { issueNumber: null });
    await writeTranscript(dataDir, task.id);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining(["openjules://tasks/{id}/events", "openjules://tasks/{id}/transcript"]));
    const events = await client.readResource({ uri: `openjules://tasks/${task.id}/events` });
    const log = JSON.parse((events.contents[0] as { text: string }).text) as { events: { data: { type: string; to?: string } }[]; next: string | null };
    expect(log.events.filter((e) => e.data.type === "state").map((e) => e.data.to)).toEqual(["queued", "planning", "awaiting_approval"]);
    expect(log.next).toBeNull();
    const transcript = (await client.readResource({ uri: `openjules://tasks/${task.id}/transcript` })).contents[0] as { text: string; mimeType: string };
    expect(transcript.mimeType).toBe("application/x-ndjson");
    expect(transcript.text).toContain('"type":"start"');
    expect(transcript.text).not.toContain("sk-test-secret-value-123456");
    await expect(client.readResource({ uri: "openjules://tasks/no-such-task/events" })).rejects.toThrow(/no-such-task/);
  });

  it("ends by itself once the client closes its stdin (before the SDK's SIGTERM 2 s later)", async () => {
    const pid = transport.pid!;
    const started = Date.now();
    await client.close();
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it("wrote nothing but the protocol to stdout, with debug logging on; asked GitHub nothing for tasks without an issue", () => {
    expect(protocolErrors).toEqual([]);
    expect(github.violations).toEqual([]);
    expect(github.requests).toEqual([]);
  });
});
