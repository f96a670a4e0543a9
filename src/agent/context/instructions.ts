import type { RepoConfig } from "../../config/repo-config.ts";
import { AgentError } from "../port.ts";
import { readRepoFile } from "../../security/safe-read.ts";
import { sanitizeUntrusted } from "../../security/sanitize.ts";
import { truncateText } from "./tokens.ts";

/**
 * The repository's own instructions for coding agents: the file named by
 * `instructions:` in `.github/jules.yml` when set, otherwise the first of
 * AGENTS.md, .github/copilot-instructions.md and CLAUDE.md that exists and is
 * not empty. Files are read through safe-read.ts: confined to the working
 * copy (no `..`, no symbolic link out of it, nothing under `.git`), regular
 * files only (a FIFO or device is skipped, never opened), capped, with a
 * deadline. Text is sanitized like thread text and capped at 8,000 characters (2,000 tokens) with a note saying how much
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

function finish(path: string, raw: string): RepoInstructions | null {
  const text = sanitizeUntrusted(raw).trim();
  if (text === "") return null;
  return { path, text: truncateText(text, MAX_INSTRUCTIONS_CHARS, `${path}`) };
}

export async function loadInstructions(dir: string, config: RepoConfig): Promise<RepoInstructions | null> {
  const configured = config.instructions?.trim();
  if (configured) {
    const result = await readRepoFile(dir, configured, { maxBytes: MAX_READ_BYTES });
    if (!result.ok) {
      throw new AgentError(
        `The instructions file set in .github/jules.yml cannot be used: ${result.message}.`,
        `Fix \`instructions: ${configured}\` in .github/jules.yml (a path relative to the repository root, on the default branch), or remove the setting to use AGENTS.md, then try again.`,
      );
    }
    return finish(configured, result.bytes.toString("utf8"));
  }
  for (const candidate of DEFAULT_INSTRUCTION_FILES) {
    const result = await readRepoFile(dir, candidate, { maxBytes: MAX_READ_BYTES });
    if (!result.ok) continue;
    const found = finish(candidate, result.bytes.toString("utf8"));
    if (found) return found;
  }
  return null;
}
