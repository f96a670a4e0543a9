import type { RepoConfig } from "../config/repo-config.ts";
import { ciTestCommand, type CiCommand } from "./detection/ci.ts";
import { deno } from "./detection/deno.ts";
import { exists, type Candidate } from "./detection/files.ts";
import { node, NODE_LOCKFILES } from "./detection/node.ts";
import { others } from "./detection/others.ts";
import { php } from "./detection/php.ts";
import { python } from "./detection/python.ts";

/**
 * Works out how to set up and test a repository. `.github/jules.yml`'s
 * `setup:` and `test:` win; a missing one is detected from the repository
 * (src/sandbox/detection/: one file per ecosystem). Every ecosystem found is
 * a candidate, in this order: Deno or Node first (Deno when deno.json has a
 * `test` task or no npm lockfile is there, else Node), then Python (uv, tox,
 * pytest), PHP (composer), Go, Rust, a Makefile `test` target, Maven, Gradle.
 * When the repository's CI workflow runs a test command that can be read
 * (detection/ci.ts), that command is chosen (so a polyglot repository is
 * tested the way its CI tests it, not by whichever manifest comes first),
 * with the setup of the candidate of the same ecosystem (a step needing
 * variables of its own only when no other is there); otherwise the first
 * candidate. Commands are plain commands (no shell snippets), shown as they
 * run. `reason` is shown to the person in the status comment: where the
 * command came from and why, or plainly that none was found. Setup commands
 * put caches and virtualenvs in HOME (a per-task directory), never in the
 * working copy. Every file is read through safe-read.ts.
 */

export interface TestCommands {
  setup: string | null;
  test: string | null;
  source: "config" | "detected";
  reason: string;
}

interface Detected {
  setup: string | null;
  test: string;
  reason: string;
}

/** Every way the repository's manifests say it is set up and tested, best first. */
export async function candidates(dir: string): Promise<Candidate[]> {
  const [d, n] = [await deno(dir), await node(dir)];
  let nodeLocked = false;
  for (const lockfile of NODE_LOCKFILES) nodeLocked ||= await exists(dir, lockfile);
  const denoFirst = d !== null && (d.hasTestTask || !nodeLocked || n === null);
  const js = (denoFirst ? [d, n] : [n, d]).filter((c): c is Candidate => c !== null).map((c) => ({ family: c.family, setup: c.setup, test: c.test, reason: c.reason }));
  if (d && n)
    js[0]!.reason += denoFirst
      ? " (preferred over package.json: Deno's configuration names the tests, or no npm lockfile is there)"
      : " (preferred over deno.json, which has no `test` task)";
  return [...js, ...[await python(dir), await php(dir)].filter((c): c is Candidate => c !== null), ...(await others(dir))];
}

const hasFlag = (command: string, flags: RegExp) => flags.test(` ${command} `);

/** CI's command as it must run here: offline (tests never have network) and through the same wrappers as setup. */
function adapt(ci: CiCommand, same: Candidate | undefined): { command: string; notes: string[] } {
  let command = ci.command;
  const notes: string[] = [];
  const add = (after: RegExp, flag: string) => {
    command = command.replace(after, `$& ${flag}`);
    notes.push(`\`${flag}\` added`);
  };
  if (ci.family === "maven" && !hasFlag(command, /\s(?:-o|--offline)\s/)) add(/^\S+/, "-o");
  if (ci.family === "gradle" && !hasFlag(command, /\s--offline\s/)) add(/^\S+/, "--offline");
  if (ci.family === "rust" && !hasFlag(command, /\s--offline\s/)) add(/^cargo (?:test|nextest run)/, "--offline");
  if (same?.test.startsWith("uv run ") && !command.startsWith("uv ")) {
    command = `uv run ${command}`;
    notes.push("run through `uv run`, as the project uses uv");
  }
  if (same?.test.startsWith("corepack ") && /^(?:pnpm|yarn) /.test(command)) {
    command = `corepack ${command}`;
    notes.push("through corepack, as `packageManager` names it");
  }
  return { command, notes };
}

/** Detection from the files in `dir` (the working copy): CI's test command when it can be read, else the best candidate. */
export async function detectTestCommands(dir: string): Promise<Detected | null> {
  const found = await candidates(dir);
  const ci = await ciTestCommand(dir);
  if (!ci) return found[0] ? { setup: found[0].setup, test: found[0].test, reason: found[0].reason } : null;
  const same = found.find((c) => c.family === ci.family);
  // `make check` and the like build on whatever the repository's main ecosystem installs.
  const setupFrom = same ?? (ci.family === "make" ? found.find((c) => c.setup !== null) : undefined);
  const { command, notes } = adapt(ci, same);
  const said = [...(notes.length > 0 ? [`\`${ci.command}\`; ${notes.join(", ")}: tests run offline here`] : []), ...(ci.unset ? [ci.unset] : [])];
  const how = said.length > 0 ? ` (${said.join("; ")})` : "";
  const setup = setupFrom?.setup ? `; setup \`${setupFrom.setup}\` (${setupFrom.reason})` : "; no setup detected for it";
  return { setup: setupFrom?.setup ?? null, test: command, reason: `from ${ci.file}, job ${ci.job}${how}${setup}` };
}

export async function resolveTestCommands(dir: string, config: Pick<RepoConfig, "setup" | "test">): Promise<TestCommands> {
  const setup = config.setup?.trim() || null;
  const test = config.test?.trim() || null;
  if (setup && test) return { setup, test, source: "config", reason: "setup and test commands from .github/jules.yml" };
  const detected = await detectTestCommands(dir);
  if (test) {
    return {
      setup: detected?.setup ?? null,
      test,
      source: "config",
      reason: `test command from .github/jules.yml${detected?.setup ? `; setup detected (${detected.reason})` : ""}`,
    };
  }
  if (!detected) {
    return {
      setup,
      test: null,
      source: setup ? "config" : "detected",
      reason:
        "nothing in the repository names one: no test command in its CI workflows, no package.json test script, deno.json, pytest, tox or uv configuration, composer.json with PHPUnit, go.mod, Cargo.toml, Makefile `test` target, Maven or Gradle build",
    };
  }
  if (setup) return { setup, test: detected.test, source: "config", reason: `setup command from .github/jules.yml; test detected (${detected.reason})` };
  return { setup: detected.setup, test: detected.test, source: "detected", reason: detected.reason };
}
