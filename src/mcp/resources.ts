/**
 * The MCP resources of a task, as URI templates: its event log
 * (`openjules://tasks/{id}/events`, JSON, a page of events with the URI of
 * the next page) and its agent transcript (`openjules://tasks/{id}/transcript`,
 * the JSON lines the agent wrote, secrets redacted when written). Reading
 * either asks the control plane first, so the caller sees only tasks it may
 * read; a task it may not read, or none, is the protocol's "resource not
 * found" error with the reason.
 */
import { open } from "node:fs/promises";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpError, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { transcriptPath } from "../agent/transcript.ts";
import type { Caller } from "../domain/actor.ts";
import type { ControlPlane, Result } from "../tasks/control/port.ts";

export const EVENTS_PAGE = 500;
/** A transcript larger than this is served from its end (whole lines), saying how much was left out. */
export const MAX_TRANSCRIPT_BYTES = 4 * 1024 * 1024;
/** JSON-RPC code the MCP specification gives an unknown resource. */
const RESOURCE_NOT_FOUND = -32002;

const eventsUri = (id: string, after?: number) => `openjules://tasks/${id}/events${after ? `?after=${after}` : ""}`;
const transcriptUri = (id: string) => `openjules://tasks/${id}/transcript`;

function unwrap<T>(result: Result<T>, uri: URL): T {
  if (result.ok) return result.value;
  throw new McpError(RESOURCE_NOT_FOUND, `${result.error.title}: ${result.error.detail}`, { uri: uri.href });
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export function registerResources(server: McpServer, control: ControlPlane, caller: Caller, dataDir: string): void {
  /** The event log and transcript of the caller's 50 most recent tasks, for clients that list before they read (one listing for both templates). */
  const recent = async () => {
    const page = await control.list(caller, { limit: 50, offset: 0 });
    if (!page.ok) return { resources: [] };
    return {
      resources: page.value.tasks.flatMap((t) => [
        { uri: eventsUri(t.id), name: `${t.id} events`, title: `Events of ${t.repository}: ${t.title}`, mimeType: "application/json" },
        { uri: transcriptUri(t.id), name: `${t.id} transcript`, title: `Transcript of ${t.repository}: ${t.title}`, mimeType: "application/x-ndjson" },
      ]),
    };
  };

  const readEvents = async (uri: URL, vars: Record<string, string | string[]>): Promise<ReadResourceResult> => {
    const id = one(vars.id);
    const after = Number.parseInt(one(vars.after) || "0", 10);
    const events = unwrap(await control.events(caller, id, { after: Number.isFinite(after) && after > 0 ? after : 0, limit: EVENTS_PAGE }), uri);
    const last = events.at(-1)?.id;
    const next = events.length === EVENTS_PAGE && last !== undefined ? eventsUri(id, last) : null;
    return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify({ events, next }, null, 2) }] };
  };
  const eventsMeta = {
    title: "Task event log",
    description: `The task's event log, oldest first, ${EVENTS_PAGE} events a page: state changes (who, through which face), agent activity, commands with exit codes, output chunks, the plan, the pull request, messages. \`next\` is the URI of the following page (null on the last).`,
    mimeType: "application/json",
  };
  server.registerResource("task-events", new ResourceTemplate("openjules://tasks/{id}/events", { list: recent }), eventsMeta, readEvents);
  server.registerResource("task-events-page", new ResourceTemplate("openjules://tasks/{id}/events{?after}", { list: undefined }), eventsMeta, readEvents);

  server.registerResource(
    "task-transcript",
    new ResourceTemplate("openjules://tasks/{id}/transcript", { list: undefined }),
    {
      title: "Task agent transcript",
      description: "The agent's transcript of the task as JSON lines: every model call and tool call, setup and test output (secrets redacted). Empty before the agent ran.",
      mimeType: "application/x-ndjson",
    },
    async (uri, vars) => {
      const id = one(vars.id);
      unwrap(await control.get(caller, id), uri);
      return { contents: [{ uri: uri.href, mimeType: "application/x-ndjson", text: await readTail(transcriptPath(dataDir, id), id) }] };
    },
  );
}

/** The file's text, or its last MAX_TRANSCRIPT_BYTES from a line start with a first line saying what was cut; "" when there is none. */
async function readTail(path: string, id: string): Promise<string> {
  const file = await open(path, "r").catch(() => null);
  if (!file) return "";
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - MAX_TRANSCRIPT_BYTES);
    const buffer = Buffer.alloc(size - start);
    await file.read(buffer, 0, buffer.length, start);
    const text = buffer.toString("utf8");
    if (start === 0) return text;
    const cut = text.indexOf("\n") + 1;
    return `${JSON.stringify({ type: "note", text: `the first ${start + cut} bytes of the transcript are left out; the operator can read all of it with: openjules tasks logs ${id}` })}\n${text.slice(cut)}`;
  } finally {
    await file.close();
  }
}
