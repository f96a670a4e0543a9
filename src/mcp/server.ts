/**
 * The MCP server of one caller: the tools (tools.ts) and the task resources
 * (resources.ts) over the control plane, with the caller (principal and face
 * `mcp`) fixed for the connection. A face and nothing more: every rule is
 * the control plane's. Transports (stdio.ts, http.ts) create one per
 * connection or request.
 */
import { readFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Caller } from "../domain/actor.ts";
import type { Logger } from "../domain/logger.ts";
import type { ControlPlane } from "../tasks/control/port.ts";
import { registerResources } from "./resources.ts";
import { registerTools } from "./tools.ts";

export interface McpServerOptions {
  control: ControlPlane;
  caller: Caller;
  /** JULES_DATA_DIR: where the agent writes transcripts (`transcripts/<id>.jsonl`). */
  dataDir: string;
  /** Where a tool's internal failure is logged (the client is told only that one happened). */
  log?: Pick<Logger, "error"> | undefined;
  /** wait_for_task's progress interval (default PROGRESS_EVERY_MS, 10 s). */
  progressMs?: number | undefined;
}

const INSTRUCTIONS = [
  "OpenJules runs coding tasks on GitHub repositories: a task plans first, waits for its plan to be approved, then works, tests and opens a pull request.",
  "Start with list_repositories, then create_task; follow a task with wait_for_task (pass the state you last saw) rather than calling get_task in a loop.",
  "approve_plan starts the work; revise_plan or send_message changes the plan; send_message while it works reaches the agent at its next turn; a paused task continues with resume_task (a message sent while it is paused waits for that).",
  "Each task's event log and agent transcript are resources: openjules://tasks/{id}/events and openjules://tasks/{id}/transcript.",
].join(" ");

const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer({ name: "openjules", title: "OpenJules", version: VERSION }, { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: {} } });
  registerTools(server, options.control, options.caller, { log: options.log, progressMs: options.progressMs });
  registerResources(server, options.control, options.caller, options.dataDir);
  return server;
}
