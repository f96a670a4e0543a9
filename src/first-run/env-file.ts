import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writing settings into `.env`: each variable given replaces its line (and
 * any later duplicate), the others are appended, every other line (comments,
 * blank lines, other variables) stays as it was. The file is written whole
 * to a temporary file beside it and renamed over it, with mode 0600 (it
 * holds the App's private key). Values are written so that Node's own .env
 * parser (process.loadEnvFile, util.parseEnv) reads them back unchanged: bare
 * when plain, else quoted; a multi-line value (the PEM key) in double quotes
 * with its newlines as `\n`.
 */

export function writeEnvFile(path: string, updates: Record<string, string>): void {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const next = mergeEnvText(text, updates);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, next, { mode: 0o600, flag: "wx" });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function mergeEnvText(text: string, updates: Record<string, string>): string {
  const lines = text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const pending = new Map(Object.entries(updates).map(([name, value]) => [name, `${name}=${envValue(name, value)}`]));
  const written = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const name = m?.[1];
    if (!name || !pending.has(name)) {
      out.push(line);
      continue;
    }
    // A quoted value may go on over several lines: they go with it.
    const value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === "`") && !value.slice(1).includes(quote)) {
      let end = i + 1;
      while (end < lines.length && !lines[end]!.includes(quote)) end++;
      if (end < lines.length) i = end;
    }
    if (!written.has(name)) out.push(pending.get(name)!);
    written.add(name);
  }
  const added = [...pending.keys()].filter((name) => !written.has(name));
  if (added.length > 0) {
    if (out.length > 0 && out[out.length - 1]!.trim() !== "") out.push("");
    out.push("# Written by OpenJules's first-run page.", ...added.map((name) => pending.get(name)!));
  }
  return `${out.join("\n")}\n`;
}

/** A value as .env text, or an error naming the variable when it cannot be written so that it reads back the same. */
export function envValue(name: string, value: string): string {
  if (/^[A-Za-z0-9_./:@+,=-]*$/.test(value)) return value;
  if (!/[\r\n]/.test(value) && !value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !value.includes("\\n") && !value.includes("\r")) return `"${value.replace(/\n/g, "\\n")}"`;
  throw new Error(`${name} cannot be written to .env as it is (it mixes quotes and line breaks)`);
}
