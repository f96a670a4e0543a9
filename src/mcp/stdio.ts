/**
 * `openjules mcp`: the MCP server over stdio for an assistant that starts
 * OpenJules as a child process on the operator's machine. The caller is the
 * operator (whoever can run the command can open the database anyway),
 * through face `mcp`. Stdout carries only the protocol: logs go to stderr.
 * Resolves when the client closes the connection (stdin ends).
 */
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Logger } from "../domain/logger.ts";
import type { ControlPlane } from "../tasks/control/port.ts";
import { createMcpServer } from "./server.ts";

export interface StdioOptions {
  control: ControlPlane;
  dataDir: string;
  /** Logs to stderr (stdout is the protocol's). */
  log?: Pick<Logger, "error">;
  stdin?: Readable;
  stdout?: Writable;
}

export async function serveMcpOverStdio(options: StdioOptions): Promise<void> {
  const caller = { principal: { kind: "operator" }, face: "mcp" } as const;
  const server = createMcpServer({ control: options.control, dataDir: options.dataDir, log: options.log, caller });
  const stdin = options.stdin ?? process.stdin;
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    stdin.once("end", () => resolve());
  });
  await server.connect(new StdioServerTransport(stdin, options.stdout ?? process.stdout));
  await closed;
  await server.close();
}
