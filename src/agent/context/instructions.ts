import { open } from "node:fs/promises";
import type { RepoConfig } from "../../config/repo-config.ts";
import { AgentError } from "../ports.ts";
import { confinePath, PathError } from "../../security/paths.ts";
import { sanitizeUntrusted } from "../../security/sanitize.ts";
import { truncateText } from "./tokens.ts";

/**
 * The repository's own instructions for coding agents: the file named by
 * `instructions:` in `.github/jules.yml` when set, otherwise the first of
 * AGENTS.md, .github/copilot-instructions.md and CLAUDE.md that exists and is
 * not empty. Paths are confined to the working copy (no `..`, no symbolic
 * link out of it, nothing under `.git`). Text is sanitized like thread text
 * and capped at 8,000 characters (2,000 tokens) with a note saying how much
 * was left out. A configured file that is missing, not a regular file, or
 * outside the working copy is a configuration error: it throws an AgentError
 * naming the path and the fix, which the task shows in the thread, rather than
 * planning silently without the conventions the maintainers asked for.
 */

export const DEFAULT_INSTRUCTION_FILES: readonly string[] = ["AGENTS.md", ".github/copilot-instructions.md", "CLAUDE.md"];
export const MAX_INSTRUCTIONS_CHARS = 8_000;
const MAX_READ_BYTES = 256 * 1024;

export interface RepoInstructions {
  path: string;
  text: string;
}

type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

async function readCapped(root: string, path: string): Promise<ReadResult> {
  let abs: string;
  try {
    abs = (await confinePath(root, path)).abs;
  } catch (error) {
    if (error instanceof PathError) return { ok: false, reason: error.message };
    throw error;
  }
  const handle = await open(abs, "r").catch((error: NodeJS.ErrnoException) => error);
  if (!("read" in handle)) return { ok: false, reason: handle.code === "ENOENT" ? `${path} does not exist` : `${path} cannot be read (${handle.code ?? handle.message})` };
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: `${path} is not a regular file` };
    const buffer = Buffer.alloc(Math.min(info.size, MAX_READ_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { ok: true, text: buffer.subarray(0, bytesRead).toString("utf8") };
  } finally {
    await handle.close();
  }
}

function finish(path: string, raw: string): RepoInstructions | null {
  const text = sanitizeUntrusted(raw).trim();
  if (text === "") return null;
  return { path, text: truncateText(text, MAX_INSTRUCTIONS_CHARS, `${path}`) };
}

export async function loadInstructions(dir: string, config: RepoConfig): Promise<RepoInstructions | null> {
  const configured = config.instructions?.trim();
  if (configured) {
    const result = await readCapped(dir, configured);
    if (!result.ok) {
      throw new AgentError(
        `The instructions file set in .github/jules.yml cannot be used: ${result.reason}.`,
        `Fix \`instructions: ${configured}\` in .github/jules.yml (a path relative to the repository root, on the default branch), or remove the setting to use AGENTS.md, then try again.`,
      );
    }
    return finish(configured, result.text);
  }
  for (const candidate of DEFAULT_INSTRUCTION_FILES) {
    const result = await readCapped(dir, candidate);
    if (!result.ok) continue;
    const found = finish(candidate, result.text);
    if (found) return found;
  }
  return null;
}
