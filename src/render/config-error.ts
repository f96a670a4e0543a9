/**
 * The reply to an invalid `.github/jules.yml`: a table of key, problem and
 * what was expected, and how to fix it. Posted in the thread (never only
 * logged), so a repository with a broken file learns why nothing happens.
 */
import type { ConfigProblem } from "../config/problems.ts";
import { CONFIG_PATH } from "../config/repo-config.ts";
import { cell, code, tableSafe } from "./escape.ts";
import { commentMarker } from "./markers.ts";

export interface ConfigErrorInput {
  problems: readonly ConfigProblem[];
  /** Path of the file that was read; `.github/jules.yml` by default. */
  path?: string;
  /** The branch the file was read from (the default branch), when known. */
  branch?: string;
}

const MAX_ROWS = 50;

export function renderConfigError({ problems, path = CONFIG_PATH, branch }: ConfigErrorInput): string {
  const file = code(path);
  const rows = problems.slice(0, MAX_ROWS).map((p) => `| ${tableSafe(code(p.key, 100))} | ${cell(p.message, 500)} | ${cell(p.expected, 1000)} |`);
  if (problems.length > MAX_ROWS) rows.push(`| … | ${problems.length - MAX_ROWS} more problems | |`);
  const where = branch ? `on the default branch (${code(branch)})` : "on the default branch";
  const count = problems.length === 1 ? "a problem" : `${problems.length} problems`;
  return (
    [
      `${commentMarker("config-error")}\n### ⚠️ ${file} has ${count}`,
      `I read this repository's OpenJules settings from ${file} ${where} and could not use them, so I did not act on this request.`,
      ["| Key | Problem | Expected |", "| --- | --- | --- |", ...rows].join("\n"),
      `**How to fix it:** edit ${file} ${where} so that each key above holds what is expected (or remove the key to get its default), then repeat your command. ` +
        "The file is read again on every command. Every key, with its meaning and default, is described in OpenJules' `schema/jules.schema.json`.",
    ].join("\n\n") + "\n"
  );
}
