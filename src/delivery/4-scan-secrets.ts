import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { commandWord } from "../render/escape.ts";
import { describeFindings, scanDiff, scanForSecrets } from "../security/secret-scan.ts";
import type { WorkspaceDiff } from "../workspace/index.ts";
import { shownPath } from "./3-check-paths.ts";
import type { Blocked } from "./types.ts";

/**
 * 4. The outbound secret scan: everything that would leave for GitHub is
 * scanned with the built-in patterns plus the configured values: the added
 * lines of the diff, binary files changed (read from the working copy, since
 * a diff shows no text for them), the changed file names, the commit
 * messages, and the texts about to be posted (the pull request's title and
 * body, the check run's output). Any finding blocks the
 * delivery; the reason names the rule and where (file and line), never the
 * matched text. A binary file too large to scan blocks too (fail closed;
 * GitHub refuses files over 100 MB anyway).
 */

/** A text about to be sent, named as a finding would say where it is ("the pull request description"). */
export interface OutgoingText {
  name: string;
  text: string;
}

export interface ScanInput {
  diff: WorkspaceDiff;
  /** The working copy, where binary files are read. */
  dir: string;
  secrets: readonly string[];
  outgoing: readonly OutgoingText[];
  command: string;
}

const MAX_BINARY_BYTES = 100 * 1024 * 1024;
const MAX_NAMED = 10;

export async function scanSecrets(input: ScanInput): Promise<Blocked | null> {
  const { diff, secrets } = input;
  const findings: string[] = [];
  for (const f of scanDiff(diff.patch, secrets)) findings.push(`${shownPath(f.file, secrets)} line ${f.line}: ${f.rule}`);
  findings.push(...(await scanBinaryFiles(input)));
  for (const file of diff.files) {
    for (const f of scanForSecrets(file.path, secrets)) findings.push(`a changed file's name: ${f.rule}`);
  }
  diff.commitMessages.forEach((message, i) => {
    for (const line of describeFindings(scanForSecrets(message, secrets))) findings.push(`commit message ${i + 1}, ${line}`);
  });
  for (const { name, text } of input.outgoing) {
    for (const line of describeFindings(scanForSecrets(text, secrets))) findings.push(`${name}, ${line}`);
  }
  if (findings.length === 0) return null;
  const more = findings.length > MAX_NAMED ? `; and ${findings.length - MAX_NAMED} more` : "";
  return {
    kind: "blocked",
    reason: `Nothing was pushed: the change contains what looks like a secret (${findings.slice(0, MAX_NAMED).join("; ")}${more}).`,
    hint:
      "OpenJules never sends tokens or keys to GitHub. If the value is real, revoke it. " +
      `Then ask again with \`/${commandWord(input.command)} <what to do>\`, saying the value must not be written (test data can be built at run time instead).`,
  };
}

async function scanBinaryFiles(input: ScanInput): Promise<string[]> {
  const findings: string[] = [];
  for (const file of input.diff.files) {
    if (!file.binary || file.status === "deleted") continue;
    const path = join(input.dir, file.path);
    const info = await lstat(path).catch(() => null);
    if (!info?.isFile()) continue;
    const shown = shownPath(file.path, input.secrets);
    if (info.size > MAX_BINARY_BYTES) {
      findings.push(`${shown}: a binary file too large to scan`);
      continue;
    }
    const text = (await readFile(path)).toString("latin1");
    for (const f of scanForSecrets(text, input.secrets)) findings.push(`${shown} (binary) line ${f.line}: ${f.rule}`);
  }
  return findings;
}
