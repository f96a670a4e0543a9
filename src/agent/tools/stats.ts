/**
 * Counters of what the tools did during a task, and the one-line summary the
 * status comment shows ("read 6 files, searched 2 times, edited 2 files").
 * Files are counted once each, however often they were read or edited.
 */

export class ToolStats {
  readonly filesRead = new Set<string>();
  readonly filesChanged = new Set<string>();
  listings = 0;
  searches = 0;
  commands = 0;
  errors = 0;

  summary(): string {
    const parts: string[] = [];
    const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
    if (this.listings > 0) parts.push(`listed files ${n(this.listings, "time", "times")}`);
    if (this.filesRead.size > 0) parts.push(`read ${n(this.filesRead.size, "file", "files")}`);
    if (this.searches > 0) parts.push(`searched ${n(this.searches, "time", "times")}`);
    if (this.filesChanged.size > 0) parts.push(`edited ${n(this.filesChanged.size, "file", "files")}`);
    if (this.commands > 0) parts.push(`ran ${n(this.commands, "command", "commands")}`);
    if (this.errors > 0) parts.push(`${n(this.errors, "tool error", "tool errors")}`);
    return parts.length === 0 ? "getting started" : parts.join(", ");
  }
}
