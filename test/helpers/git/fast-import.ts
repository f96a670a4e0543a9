import { spawn } from "node:child_process";
import { gitEnv } from "../../../src/workspace/git.ts";

/**
 * Builds repositories fast: commits are written as a `git fast-import` stream
 * (one process, no working tree), so a repository with thousands of commits
 * and tens of thousands of files takes seconds. Used by the git test helpers
 * and the workspace benchmark.
 */

export interface CommitSpec {
  /** Path → content; `null` deletes the path; `{ gitlink }` records a submodule link to that commit. */
  files: Record<string, string | null | { gitlink: string }>;
  message?: string;
  branch?: string;
  /** Seconds since the epoch; increments by default. */
  time?: number;
}

const AUTHOR = "Test Author <author@example.com>";

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** A fast-import stream; a branch's first commit in the stream continues from its current tip if it has one. */
export function fastImportStream(commits: Iterable<CommitSpec>, existingBranches: ReadonlySet<string> = new Set()): Generator<string> {
  return (function* () {
    const seen = new Set<string>();
    let n = 0;
    for (const commit of commits) {
      const branch = commit.branch ?? "main";
      const time = commit.time ?? 1_700_000_000 + n++;
      let out = `commit refs/heads/${branch}\nauthor ${AUTHOR} ${time} +0000\ncommitter ${AUTHOR} ${time} +0000\n`;
      out += data(commit.message ?? `commit ${n}`);
      if (!seen.has(branch) && existingBranches.has(branch)) out += `from refs/heads/${branch}^0\n`;
      seen.add(branch);
      for (const [path, content] of Object.entries(commit.files)) {
        if (content === null) out += `D ${path}\n`;
        else if (typeof content === "object") out += `M 160000 ${content.gitlink} ${path}\n`;
        else out += `M 100644 inline ${path}\n${data(content)}`;
      }
      yield `${out}\n`;
    }
  })();
}

/** Pipes the stream into `git fast-import` in `gitDir`. */
export function fastImport(gitDir: string, stream: Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["fast-import", "--quiet", "--force"], { cwd: gitDir, env: gitEnv(), stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed (${code}): ${stderr}`))));
    (async () => {
      for (const chunk of stream) {
        if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once("drain", r));
      }
      child.stdin.end();
    })().catch(reject);
  });
}
