import { parse } from "yaml";
import { list, read, type Family } from "./files.ts";

/**
 * The test command the repository's own CI runs, read from
 * `.github/workflows/*.yml` (through safe-read.ts, like every repository
 * file; at most MAX_WORKFLOWS files of MAX_WORKFLOW_BYTES). A `run:` line (or
 * one `&&` part of it) counts when it is a plain test command of a known
 * tool (npm test, pytest, go test, cargo test, make check, mvn verify, …)
 * and nothing around it depends on CI: no `${{ … }}` expression or `$`
 * variable in it, not in a job with `services:` or in a step, job or workflow whose
 * env uses secrets, no `working-directory`, not a non-POSIX shell. A step
 * that sets variables of its own (its step's, job's or workflow's `env:`,
 * other than CI, which the sandbox sets, and log colours) runs here without them, so it is
 * taken only when no workflow has a test step without (probot's suite needs
 * NO_IOREDIS and a build step in the job that sets it; its plain `npm run
 * test` job builds through `pretest`), and the reason names the variables.
 * Workflows named like CI come first (ci, test, build, check), release and
 * publishing ones are never read; in a workflow, jobs whose id or name says
 * "test" come first. The command is repository-controlled text and runs only
 * in the sandbox, like every other repository command. Pure apart from reads.
 */

export interface CiCommand {
  command: string;
  family: Family;
  /** e.g. `.github/workflows/ci.yml` */
  file: string;
  job: string;
  /** The variables its step, job or workflow sets that are not set here, e.g. `its step sets NO_IOREDIS`. */
  unset?: string;
}

const DIR = ".github/workflows";
const MAX_WORKFLOWS = 20;
const MAX_WORKFLOW_BYTES = 256 * 1024;
const SKIPPED_WORKFLOW = /release|publish|deploy|docs?\b|pages|codeql|stale|label|lock|dependabot|scorecard|bench|nightly|cron|backport|triage|welcome|greet/i;
const PREFERRED_WORKFLOW = /^(ci|tests?|build|check|main|push|pr|pull[-_]request)[._-]/i;
const PLAIN = /^[A-Za-z0-9_@./:=,+\-\s'"*]+$/;

const PATTERNS: [RegExp, Family][] = [
  [/^(?:npm|pnpm|yarn|bun)(?: run)? test(?:[:\w-]*)(?:\s|$)/, "node"],
  [/^npx (?:jest|vitest|mocha|ava|tap)\b/, "node"],
  [/^node --test\b/, "node"],
  [/^deno (?:test|task test[:\w-]*)(?:\s|$)/, "deno"],
  [/^(?:pytest|tox|nox)(?:\s|$)/, "python"],
  [/^python(?:3(?:\.\d+)?)? -m (?:pytest|unittest|tox|nox)(?:\s|$)/, "python"],
  [/^(?:uv|poetry|pdm|hatch) run (?:pytest|tox|nox|python3? -m pytest)(?:\s|$)/, "python"],
  [/^go test(?:\s|$)/, "go"],
  [/^cargo (?:test|nextest run)(?:\s|$)/, "rust"],
  [/^make(?: -\S+)* (?:test|check)[\w-]*(?:\s|$)/, "make"],
  [/^(?:mvn|\.\/mvnw)(?: \S+)* (?:test|verify)(?:\s|$)/, "maven"],
  [/^(?:gradle|\.\/gradlew)(?: \S+)* (?:test|check)(?:\s|$)/, "gradle"],
  [/^composer (?:run(?:-script)? )?test[:\w-]*(?:\s|$)/, "php"],
  [/^(?:\.\/)?(?:vendor\/bin\/)?phpunit(?:\s|$)/, "php"],
];
/** Goals and arguments that publish, deploy or sign: such a line is never taken. */
const NEVER = /\b(?:deploy|release|publish|site-deploy|gpg|sign|upload|sudo)\b/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const usesSecrets = (v: unknown) => v !== undefined && JSON.stringify(v).includes("secrets.");

/** The logical lines of a `run:` block: continuations joined, comments dropped, split at `&&`. */
function commands(run: string): string[] {
  return run
    .replace(/\\\r?\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .flatMap((l) => l.split(/\s&&\s/).map((p) => p.trim()));
}

/** The family of a plain test command, or null. */
export function testCommandFamily(command: string): Family | null {
  if (!PLAIN.test(command) || NEVER.test(command) || command.length > 300) return null;
  return PATTERNS.find(([pattern]) => pattern.test(command))?.[1] ?? null;
}

/** Names of an `env:` map that matter here: not CI (the sandbox sets CI=true) nor colours of the log (CARGO_TERM_COLOR, FORCE_COLOR, TERM). */
const ownVariables = (env: unknown): string[] => (isObj(env) ? Object.keys(env).filter((name) => name !== "CI" && name !== "TERM" && !/(?:^|_)COLOU?R$/.test(name)) : []);

interface Found {
  command: string;
  /** Variables of its own, by where they are set (step, job, workflow), or null. */
  unset: string | null;
}

function fromJob(job: Obj, workflowEnv: unknown): Found | null {
  if (job.services !== undefined || usesSecrets(job.env)) return null;
  if (isObj(job.defaults) && isObj(job.defaults.run) && (job.defaults.run["working-directory"] !== undefined || job.defaults.run.shell !== undefined)) return null;
  if (!Array.isArray(job.steps)) return null;
  for (const step of job.steps) {
    if (!isObj(step) || typeof step.run !== "string") continue;
    if (step["working-directory"] !== undefined || usesSecrets(step.env) || usesSecrets(step.with)) continue;
    if (step.shell !== undefined && !/^(?:bash|sh)\b/.test(String(step.shell))) continue;
    const found = commands(step.run).find((c) => testCommandFamily(c) !== null);
    if (!found) continue;
    const own = (
      [
        ["step", step.env],
        ["job", job.env],
        ["workflow", workflowEnv],
      ] as const
    ).find(([, env]) => ownVariables(env).length > 0);
    return {
      command: found,
      unset: own ? `its ${own[0]} sets ${ownVariables(own[1]).slice(0, 5).join(", ")}, which ${ownVariables(own[1]).length > 1 ? "are" : "is"} not set here` : null,
    };
  }
  return null;
}

export async function ciTestCommand(dir: string): Promise<CiCommand | null> {
  let fallback: CiCommand | null = null;
  const names = (await list(dir, DIR)).filter((n) => /\.ya?ml$/.test(n) && !SKIPPED_WORKFLOW.test(n)).sort();
  const ordered = [...names.filter((n) => PREFERRED_WORKFLOW.test(n)), ...names.filter((n) => !PREFERRED_WORKFLOW.test(n))].slice(0, MAX_WORKFLOWS);
  for (const name of ordered) {
    const file = `${DIR}/${name}`;
    const text = await read(dir, file, MAX_WORKFLOW_BYTES);
    if (text === null) continue;
    let doc: unknown;
    try {
      doc = parse(text, { maxAliasCount: 50 });
    } catch {
      continue;
    }
    if (!isObj(doc) || !isObj(doc.jobs) || usesSecrets(doc.env)) continue;
    const jobs = Object.entries(doc.jobs).filter((e): e is [string, Obj] => isObj(e[1]));
    const says = ([id, job]: [string, Obj]) => /test/i.test(`${id} ${typeof job.name === "string" ? job.name : ""}`);
    for (const [id, job] of [...jobs.filter(says), ...jobs.filter((j) => !says(j))]) {
      const found = fromJob(job, doc.env);
      if (!found) continue;
      const ci = { command: found.command, family: testCommandFamily(found.command)!, file, job: id };
      if (found.unset === null) return ci;
      fallback ??= { ...ci, unset: found.unset };
    }
  }
  return fallback;
}
