/**
 * Reads the added lines out of a unified diff as produced by `git diff`
 * (default `a/`/`b/` prefixes or `--no-prefix`, C-quoted paths, renames,
 * `\ No newline at end of file`), grouped into runs of consecutive added lines
 * with the new file's path and the line number of the first one. Hunk line
 * counts decide where a hunk ends, so an added line whose text starts with
 * `++ ` is not mistaken for a file header. Binary patches carry no text lines
 * and yield nothing (produce the diff with `--text` to scan binary files).
 */

export interface AddedBlock {
  /** Path in the new tree, relative to the repository root. */
  file: string;
  /** 1-based line number, in the new file, of `lines[0]`. */
  startLine: number;
  lines: string[];
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of a path ("caf\303\251.txt", "a\tb"). */
export function unquoteGitPath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? "";
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = body[i + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function headerPath(line: string): string {
  const raw = line.slice(4).replace(/\t$/, "");
  return unquoteGitPath(raw);
}

export function addedBlocks(diff: string): AddedBlock[] {
  const blocks: AddedBlock[] = [];
  let oldPath = "";
  let file: string | null = null;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  let current: AddedBlock | null = null;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };

  for (const line of diff.split("\n")) {
    if (oldLeft > 0 || newLeft > 0) {
      const kind = line[0] ?? " ";
      if (kind === "\\") continue;
      if (kind === "+") {
        if (file !== null) {
          current ??= { file, startLine: newLine, lines: [] };
          current.lines.push(line.slice(1));
        }
        newLine++;
        newLeft--;
        continue;
      }
      close();
      if (kind === "-") oldLeft--;
      else {
        oldLeft--;
        newLeft--;
        newLine++;
      }
      continue;
    }
    close();
    if (line.startsWith("diff ")) {
      file = null;
      oldPath = "";
    } else if (line.startsWith("--- ")) {
      oldPath = headerPath(line);
    } else if (line.startsWith("+++ ")) {
      const path = headerPath(line);
      const prefixed = oldPath.startsWith("a/") || oldPath === "/dev/null";
      file = path === "/dev/null" ? null : prefixed && path.startsWith("b/") ? path.slice(2) : path;
    } else {
      const hunk = HUNK.exec(line);
      if (hunk) {
        oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
        newLine = Number(hunk[2]);
        newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
      }
    }
  }
  close();
  return blocks;
}
