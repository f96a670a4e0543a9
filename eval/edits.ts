import { shellQuote } from "./task.ts";
import type { ReferenceFile } from "./repos.ts";

/**
 * The tool calls that make a change, as a model would make it through the
 * real tools: `edit_file` with the smallest run of whole lines around what
 * differs that occurs exactly once in the file, `write_file` for a new file,
 * `run` with `keep: true` for `rm` of a deleted one. Also the wrong change of
 * `scripted:wrong`: the same places, each given one more blank line, which
 * changes no behaviour, so the issue stays unsolved.
 */

export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
}

const lines = (text: string): string[] => text.split(/(?<=\n)/);

export function countOf(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** The replacement that turns `before` into `after`: old_string unique in `before`, on whole lines. */
export function editBetween(before: string, after: string): { old_string: string; new_string: string } {
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const region = () => ({ old_string: a.slice(head, a.length - tail).join(""), new_string: b.slice(head, b.length - tail).join("") });
  // Widen by a line at a time (above first, then below) until the old text is there exactly once.
  for (let grow = 0; ; grow++) {
    const { old_string } = region();
    if (old_string !== "" && countOf(before, old_string) === 1) return region();
    if (head === 0 && tail === 0) return region();
    if ((grow % 2 === 0 && head > 0) || tail === 0) head--;
    else tail--;
  }
}

/** The calls that make the reference change. */
export function solvingCalls(files: ReferenceFile[]): ToolCall[] {
  return files.map((f): ToolCall => {
    if (f.after === null) return { name: "run", input: { command: `rm -f -- ${shellQuote(f.path)}`, keep: true } };
    if (f.before === null || f.before === "") return { name: "write_file", input: { path: f.path, content: f.after } };
    return { name: "edit_file", input: { path: f.path, ...editBetween(f.before, f.after) } };
  });
}

/** The wrong change: at each place the reference edits an existing file, one more blank line and nothing else. */
export function wrongCalls(files: ReferenceFile[]): ToolCall[] {
  return files
    .filter((f): f is ReferenceFile & { before: string; after: string } => typeof f.before === "string" && f.before !== "" && f.after !== null)
    .map((f) => {
      const { old_string } = editBetween(f.before, f.after);
      const text = old_string === "" ? f.before : old_string;
      return { name: "edit_file", input: { path: f.path, old_string: text, new_string: text.endsWith("\n") ? `${text}\n` : `${text}\n\n` } };
    });
}
