import { commandWord } from "../render/escape.ts";
import { describeFindings, scanBytes, scanForSecrets } from "../security/secret-scan.ts";
import type { WorkspaceDiff } from "../workspace/manager.ts";
import { readPushed, type PushedObject } from "../workspace/pushed.ts";
import { shownPath } from "./3-check-paths.ts";
import type { Blocked } from "./port.ts";

/**
 * 4. The outbound secret scan: everything that would leave for GitHub is
 * scanned with the built-in patterns plus the configured values. What git
 * would push is read from the object database, never the working copy (a
 * `.gitattributes` `working-tree-encoding`, eol or filter makes the two
 * differ): every file content the commits add or change, text or binary, in
 * every reading of its bytes (UTF-8, and UTF-16/32 when it holds NULs), and
 * every commit object (author, committer, message); then the changed file
 * names and the texts about to be posted (the pull request's title and body,
 * the check run's output). A match the same path already held on the base is
 * not a new leak and is left alone. Any finding blocks the delivery; the
 * reason names the rule and where (file and line), never the matched text. A
 * file too large to scan blocks too (fail closed; GitHub refuses files over
 * 100 MB anyway).
 */

/** A text about to be sent, named as a finding would say where it is ("the pull request description"). */
export interface OutgoingText {
  name: string;
  text: string;
}

export interface ScanInput {
  diff: WorkspaceDiff;
  /** The working copy: its repository holds the commits to push. */
  dir: string;
  /** The base commit: the commits after it, up to HEAD, are what would be pushed. */
  baseSha: string;
  secrets: readonly string[];
  outgoing: readonly OutgoingText[];
  command: string;
}

const MAX_BLOB_BYTES = 100 * 1024 * 1024;
const MAX_NAMED = 10;

export async function scanSecrets(input: ScanInput): Promise<Blocked | null> {
  const { diff, secrets } = input;
  let findings: string[] = [];
  let commitNumber = 0;
  for await (const object of readPushed(input.dir, input.baseSha, MAX_BLOB_BYTES)) {
    findings.push(...(object.kind === "commit" ? commitFindings(object.raw, ++commitNumber, secrets) : fileFindings(object, secrets)));
  }
  for (const file of diff.files) {
    for (const f of scanForSecrets(file.path, secrets)) findings.push(`a changed file's name: ${f.rule}`);
  }
  for (const { name, text } of input.outgoing) {
    for (const line of describeFindings(scanForSecrets(text, secrets))) findings.push(`${name}, ${line}`);
  }
  if (findings.length === 0) return null;
  findings = [...new Set(findings)];
  const more = findings.length > MAX_NAMED ? `; and ${findings.length - MAX_NAMED} more` : "";
  return {
    kind: "blocked",
    reason: `Nothing was pushed: the change contains what looks like a secret (${findings.slice(0, MAX_NAMED).join("; ")}${more}).`,
    hint:
      "OpenJules never sends tokens or keys to GitHub. If the value is real, revoke it. " +
      `Then ask again with \`/${commandWord(input.command)} <what to do>\`, saying the value must not be written (test data can be built at run time instead).`,
  };
}

/** A file content as committed: where, in which reading (UTF-16...), which rule. */
function fileFindings(file: Extract<PushedObject, { kind: "file" }>, secrets: readonly string[]): string[] {
  const shown = shownPath(file.path, secrets);
  if (file.bytes === null) return [`${shown}: a file too large to scan (${Math.ceil(file.size / 1024 ** 2)} MB; the limit is ${MAX_BLOB_BYTES / 1024 ** 2} MB)`];
  const { label, findings } = scanBytes(file.bytes, secrets, file.before);
  const as = label === null ? "" : ` (${label})`;
  const name = scanForSecrets(file.path, secrets).map((f) => `a changed file's name: ${f.rule}`);
  return [...name, ...findings.map((f) => `${shown}${as} line ${f.line}: ${f.rule}`)];
}

/** A commit object: its header (author, committer) and its message, numbered from the newest. */
function commitFindings(raw: Buffer, n: number, secrets: readonly string[]): string[] {
  const text = raw.toString("utf8");
  const split = text.indexOf("\n\n");
  const header = split === -1 ? text : text.slice(0, split);
  const message = split === -1 ? "" : text.slice(split + 2);
  return [
    ...scanForSecrets(header, secrets).map((f) => `commit ${n}'s author or committer: ${f.rule}`),
    ...describeFindings(scanForSecrets(message, secrets)).map((line) => `commit message ${n}, ${line}`),
  ];
}
