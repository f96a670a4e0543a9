/**
 * Validates the raw `.github/jules.yml` object (as Probot's config loader
 * returns it) into a typed `RepoConfig`, or a list of problems to post in the
 * thread. No file (`null`/`undefined`) means the defaults. Probot resolves
 * `_extends` itself; a leftover `_extends` key is tolerated, not reported.
 */
import { RepoConfigSchema, type RepoConfig } from "./repo-config.ts";
import { problemsFromIssues, type ConfigProblem } from "./problems.ts";

export type { ConfigProblem } from "./problems.ts";

export type ConfigResult = { ok: true; config: RepoConfig } | { ok: false; problems: ConfigProblem[] };

export function validateRepoConfig(raw: unknown): ConfigResult {
  const input = raw === null || raw === undefined ? {} : withoutExtends(raw);
  const parsed = RepoConfigSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: problemsFromIssues(RepoConfigSchema, parsed.error.issues) };
}

function withoutExtends(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || !("_extends" in raw)) return raw;
  const { _extends: _ignored, ...rest } = raw as Record<string, unknown>;
  return rest;
}
