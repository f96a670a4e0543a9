import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { parseIssue } from "./bundled.ts";
import { TASK_NAME, UsageError, type EvalTask } from "./task.ts";

/**
 * A user's task set (`--tasks-file FILE`): JSON Lines, one task per line
 * (blank lines and lines starting with `#` are skipped). Fields (README, "Eval"):
 * `id`, `repo` (a git URL, a local path relative to the file, or GitHub's
 * `owner/name`), `base_commit`, `problem_statement`, `title`, `language`,
 * `setup`, `test`, `tests` (the tests that must pass), `test_patch` (hidden
 * tests, applied only when grading) and `patch` (the reference solution,
 * never shown to a model). SWE-bench's names are accepted as well:
 * `instance_id` for `id`, and `FAIL_TO_PASS` + `PASS_TO_PASS` (lists, or
 * lists as JSON text) for `tests`.
 */

const testList = z.union([z.array(z.string().min(1)), z.string().transform((text, ctx) => parseList(text, ctx))]);

function parseList(text: string, ctx: z.RefinementCtx): string[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: "must be a list of test names (or that list as JSON text)" });
  return z.NEVER;
}

const Line = z
  .object({
    id: z.string().optional(),
    instance_id: z.string().optional(),
    repo: z.string().min(1),
    base_commit: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/i, "a commit id (hex)")
      .optional(),
    problem_statement: z.string().min(1),
    title: z.string().min(1).optional(),
    language: z.string().min(1).optional(),
    requires: z.array(z.string().min(1)).optional(),
    setup: z.string().min(1).nullable().optional(),
    test: z.string().min(1),
    tests: testList.optional(),
    FAIL_TO_PASS: testList.optional(),
    PASS_TO_PASS: testList.optional(),
    test_patch: z.string().min(1).optional(),
    patch: z.string().min(1).optional(),
  })
  .passthrough();

/** A repository named by a user: an existing local path (relative to the file), a URL, or GitHub's `owner/name`. */
function repositoryUrl(repo: string, base: string): string {
  if (/^(https?|ssh|git|file):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo)) return repo;
  const path = isAbsolute(repo) ? repo : resolve(base, repo);
  if (existsSync(path)) return path;
  if (/^[\w.-]+\/[\w.-]+$/.test(repo)) return `https://github.com/${repo}.git`;
  throw new UsageError(`"${repo}" is neither a URL, an existing path nor owner/name`);
}

export function parseTasksFile(text: string, file: string): EvalTask[] {
  const tasks: EvalTask[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const at = `${file}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${at}: not JSON (${(error as Error).message})`);
    }
    const parsed = Line.safeParse(json);
    if (!parsed.success) throw new UsageError(`${at}: ${z.prettifyError(parsed.error)}`);
    const t = parsed.data;
    const name = t.id ?? t.instance_id;
    if (!name || !TASK_NAME.test(name)) throw new UsageError(`${at}: "id" must be letters, digits, ".", "_" and "-" (at most 64)`);
    if (seen.has(name)) throw new UsageError(`${at}: the id "${name}" is used twice`);
    seen.add(name);
    let url: string;
    try {
      url = repositoryUrl(t.repo, dirname(resolve(file)));
    } catch (error) {
      throw new UsageError(`${at}: "repo": ${(error as Error).message}`);
    }
    const fromStatement = parseIssue(t.problem_statement);
    tasks.push({
      name,
      language: t.language ?? "unknown",
      requires: t.requires ?? [],
      issue: t.title ? { title: t.title, body: t.problem_statement } : { title: fromStatement.title || name, body: t.problem_statement },
      source: { kind: "git", url, baseCommit: t.base_commit ?? null },
      setup: t.setup ?? null,
      test: t.test,
      tests: t.tests ?? [...new Set([...(t.FAIL_TO_PASS ?? []), ...(t.PASS_TO_PASS ?? [])])],
      hidden: t.test_patch ? { kind: "patch", patch: t.test_patch } : null,
      reference: t.patch ? { kind: "patch", patch: t.patch } : null,
    });
  });
  if (tasks.length === 0) throw new UsageError(`${file} holds no task`);
  return tasks;
}

export function loadTasksFile(file: string): EvalTask[] {
  return parseTasksFile(readFileSync(file, "utf8"), file);
}
