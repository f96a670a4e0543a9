/**
 * What the channel keeps on disk beside the outbox: the state file
 * (`<outbox>.state.json`: how far the inbox was read, each live prompt's task
 * and the last report written for it), replaced atomically (a new file
 * renamed over the old one, after fsync), so a restart goes on exactly where
 * the last complete step left off; a lock file (`<outbox>.lock`, the
 * workspace's file lock: pid, host, a heartbeat) so two channels never share
 * an outbox; and the outbox itself, appended one
 * whole line per write. The state also records the outbox's size after its
 * last line, so the lines written after it (a stop between writing a line
 * and saving the state) are recognised on the next start and not written
 * again.
 */
import { open, readFile, rename, stat } from "node:fs/promises";
import { z } from "zod";
import { WorkspaceError } from "../workspace/errors.ts";
import { withFileLock } from "../workspace/lock.ts";
import { CHANNEL_VERSION, lineKey, type ResultLine } from "./protocol.ts";

const StateSchema = z.object({
  version: z.literal(CHANNEL_VERSION),
  inbox: z.string(),
  offset: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  outboxSize: z.number().int().nonnegative(),
  prompts: z.record(z.string(), z.object({ task: z.string(), line: z.number().int(), reported: z.string().nullable() })),
});

export type ChannelState = z.infer<typeof StateSchema>;

export class ChannelFileError extends Error {}

export const statePath = (outbox: string) => `${outbox}.state.json`;
const lockPath = (outbox: string) => `${outbox}.lock`;

/** The saved state, or a fresh one (the inbox from its start; the outbox's lines so far are not this channel's). */
export async function loadState(outbox: string, inbox: string): Promise<ChannelState> {
  let text: string;
  try {
    text = await readFile(statePath(outbox), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { version: CHANNEL_VERSION, inbox, offset: 0, lines: 0, outboxSize: (await stat(outbox)).size, prompts: {} };
  }
  let parsed: ReturnType<typeof StateSchema.safeParse>;
  try {
    parsed = StateSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = StateSchema.safeParse(null);
  }
  if (!parsed.success)
    throw new ChannelFileError(
      `The channel's state file ${statePath(outbox)} is damaged. Move it away to read the inbox again from its start (prompts already started get their first task back, by their ids).`,
    );
  if (parsed.data.inbox !== inbox)
    throw new ChannelFileError(`The outbox ${outbox} belongs to the inbox ${parsed.data.inbox} (its state file says so); give each inbox its own outbox.`);
  return parsed.data;
}

export async function saveState(outbox: string, state: ChannelState): Promise<void> {
  const path = statePath(outbox);
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, "w", 0o600);
  try {
    await file.writeFile(`${JSON.stringify(state)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

/** Appends one line to the outbox and returns its size after it. */
export async function appendLine(outbox: string, line: ResultLine): Promise<number> {
  const file = await open(outbox, "a", 0o600);
  try {
    await file.write(`${JSON.stringify(line)}\n`);
    await file.datasync();
    return (await file.stat()).size;
  } finally {
    await file.close();
  }
}

/** The keys (protocol.ts lineKey) of the complete outbox lines after `from`: written by the last run after its last saved state. */
export async function linesAfter(outbox: string, from: number): Promise<string[]> {
  const file = await open(outbox, "r");
  let text: string;
  try {
    const size = (await file.stat()).size;
    if (size <= from) return [];
    const buffer = Buffer.alloc(size - from);
    await file.read(buffer, 0, buffer.length, from);
    text = buffer.toString("utf8");
  } finally {
    await file.close();
  }
  return text
    .split("\n")
    .slice(0, -1)
    .flatMap((raw) => {
      try {
        const line = JSON.parse(raw) as ResultLine;
        return typeof line.id === "string" && typeof line.status === "string" ? [lineKey(line)] : [];
      } catch {
        return [];
      }
    });
}

/** Runs `fn` holding the outbox's lock; refused at once while another live process holds it (a dead one's lock is taken over). */
export async function withOutboxLock<T>(outbox: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await withFileLock(lockPath(outbox), fn, { timeoutMs: 0 });
  } catch (error) {
    if (!(error instanceof WorkspaceError && error.code === "lock_timeout")) throw error;
    throw new ChannelFileError(`Another openjules channel is writing to ${outbox} (it holds ${lockPath(outbox)}); stop it first, or give this one another outbox.`);
  }
}
