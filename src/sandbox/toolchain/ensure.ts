import type { DeclaredToolchains } from "./declared.ts";
import { nodeSatisfies } from "./node-declared.ts";
import { installCommand, installFailure, inToolchain, probeCommand, probeResults } from "./node-install.ts";
import { installedVersion, otherSatisfies } from "./others-declared.ts";
import { parseVersion } from "./semver.ts";

/**
 * Before setup: the versions the sandbox has for what the repository
 * declares (one sandbox command, no network), and, when its Node does not
 * meet the declared one, that Node installed into the task's HOME with
 * setup's network (node-install.ts). The report says which Node ran and why,
 * names every mismatch (Python, Go, Rust are never installed), and, when the
 * declared Node cannot be installed, says so as a problem of the environment
 * with its fix.
 */

interface Runner {
  run(
    cmd: string,
    opts: { cwd: string; timeoutMs: number; network?: boolean; purpose?: "setup"; signal?: AbortSignal },
  ): Promise<{ exitCode: number | null; output: string; timedOut: boolean; network?: string }>;
}

export interface EnvironmentProblem {
  problem: string;
  hint: string;
}

export interface ToolchainReport {
  /** Status lines: which Node runs and why, each mismatch. */
  lines: string[];
  /** The Node the task's commands run with: "Node 22.11.0 (from .nvmrc, installed into the task's HOME)". */
  node: string | null;
  /** Installed versions that do not meet the declared ones: failing tests are then an environment problem. */
  mismatches: EnvironmentProblem[];
  /** The declared Node could not be installed. */
  failure: (EnvironmentProblem & { command: string; output: string }) | null;
}

const FIX_OTHER: Record<string, string> = {
  python:
    "Install a Python that meets it on the worker (under /usr, or elsewhere with `JULES_SANDBOX_READONLY_PATHS`), or set `setup:`/`test:` in .github/jules.yml (for example with uv, which can fetch a Python during setup).",
  go: "Install that Go (or newer) on the worker (for example an official tarball under /usr/local/go, made visible with `JULES_SANDBOX_READONLY_PATHS`); the sandbox never downloads Go toolchains (GOTOOLCHAIN=local).",
  rust: "Install that toolchain on the worker (rustup's ~/.cargo and ~/.rustup, made visible with `JULES_SANDBOX_READONLY_PATHS`), or set `setup:`/`test:` in .github/jules.yml.",
};
const NAME: Record<string, string> = { python: "Python", go: "Go", rust: "Rust" };

function installProblem(declared: string, result: { exitCode: number | null; output: string; network?: string }, network: boolean): EnvironmentProblem {
  const what = `Node ${declared} could not be installed into the task's environment`;
  const { output, network: networkNote } = result;
  if (network && result.exitCode === 0) {
    return {
      problem: `${what}: it was installed, but the commands' PATH does not reach it (JULES_SANDBOX=unsafe runs the worker's own toolchains).`,
      hint: "Run repository code in the sandbox (JULES_SANDBOX=bubblewrap), or install that Node on the worker.",
    };
  }
  if (!network) {
    return {
      problem: `${what}: setup has no network (\`setup_network\` in .github/jules.yml), and the sandbox's Node does not meet it.`,
      hint: "Give setup network with `setup_network: public` in .github/jules.yml (the npm registry must be reachable), or install that Node on the worker and change the declaration to match it.",
    };
  }
  switch (installFailure(output)) {
    case "unknown-version":
      return {
        problem: `${what}: the npm registry has no \`node\` package matching ${declared}.`,
        hint: "Declare a Node version that exists (for example `22` or `22.11.0` in .nvmrc), then start the task again.",
      };
    case "network":
      return {
        problem: `${what}: the npm registry could not be reached from setup${networkNote ? ` (${networkNote})` : ""}.`,
        hint: "The operator must let setup reach registry.npmjs.org (JULES_SETUP_NETWORK, or JULES_SETUP_ALLOW_HOSTS for a registry on a private address), or install that Node on the worker.",
      };
    default:
      return {
        problem: `${what}: \`npm install node@${declared}\` failed.`,
        hint: "See the output; the operator can install that Node on the worker instead, or the declaration can name a version that installs.",
      };
  }
}

export async function ensureToolchains(
  runner: Runner,
  cwd: string,
  declared: DeclaredToolchains,
  opts: { network: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<ToolchainReport> {
  const report: ToolchainReport = { lines: [], node: null, mismatches: [], failure: null };
  const requirement = declared.node;
  const tools = [...(requirement ? ["node" as const] : []), ...declared.others.map((o) => o.language)];
  if (tools.length === 0) return report;
  const base = { cwd, timeoutMs: opts.timeoutMs, purpose: "setup" as const, ...(opts.signal ? { signal: opts.signal } : {}) };
  const corepack = declared.packageManager ? ["corepack"] : [];
  const found = probeResults((await runner.run(probeCommand(tools, corepack), base)).output);
  for (const other of declared.others) {
    const printed = found.get(other.language) ?? "";
    const version = installedVersion(other.language, printed);
    const name = NAME[other.language]!;
    if (version === null) {
      report.mismatches.push({
        problem: `${name} is not installed in the sandbox, and ${other.source} asks for ${other.declared}${printed ? ` (${printed})` : ""}.`,
        hint: FIX_OTHER[other.language]!,
      });
    } else if (otherSatisfies(other, version) === false) {
      report.mismatches.push({ problem: `${name} ${version} in the sandbox does not meet ${other.declared} (${other.source}).`, hint: FIX_OTHER[other.language]! });
    } else report.lines.push(`${name} ${version} (${other.source}: ${other.declared})`);
  }
  report.lines.push(...report.mismatches.map((m) => m.problem));
  if (!requirement) return report;
  const from = `from ${requirement.source}`;
  const host = parseVersion(found.get("node") ?? "");
  if (host && nodeSatisfies(host, requirement)) {
    const kept = inToolchain(found.get("node-path") ?? "");
    report.node = `Node ${host.join(".")} (${from}: ${requirement.declared}; ${kept ? "already in the task's HOME, from the environment snapshot" : "the sandbox's own"})`;
    report.lines.unshift(report.node);
    checkCorepack(report, declared.packageManager, found, host.join("."));
    return report;
  }
  const command = installCommand(requirement.spec, corepack.length > 0);
  const result = opts.network ? await runner.run(command, { ...base, network: true }) : { exitCode: null, output: "", timedOut: false };
  const printed = probeResults(result.output);
  // Installed but not what commands run (JULES_SANDBOX=unsafe has the worker's PATH): as good as not installed.
  const installed = result.exitCode === 0 && inToolchain(printed.get("node-path") ?? "") ? parseVersion(printed.get("node") ?? "") : null;
  if (!installed) {
    const problem = installProblem(requirement.declared, result, opts.network);
    const sandboxNode = host ? `Node ${host.join(".")}, the sandbox's own` : "the sandbox has no Node";
    report.failure = { ...problem, problem: `${problem.problem} The commands run with ${sandboxNode}.`, command: `npm install node@${requirement.spec}`, output: result.output };
    report.node = host ? `Node ${host.join(".")} (the sandbox's own; ${requirement.source} asks for ${requirement.declared}, which could not be installed)` : null;
    report.mismatches.push(report.failure);
    report.lines.unshift(report.failure.problem);
    return report;
  }
  report.node = `Node ${installed.join(".")} (${from}: ${requirement.declared}; installed into the task's HOME)`;
  report.lines.unshift(report.node);
  const npm = printed.get("npm") ?? "";
  if (!/^\d+\.\d+\.\d+$/.test(npm)) report.lines.push(`npm does not run with Node ${installed.join(".")}: ${npm.slice(0, 200)}`);
  checkCorepack(report, declared.packageManager, printed, installed.join("."));
  return report;
}

/** pnpm and yarn named in `packageManager` run through corepack: it must run with the Node the task has. */
function checkCorepack(report: ToolchainReport, packageManager: string | null, printed: Map<string, string>, node: string): void {
  if (!packageManager) return;
  const line = printed.get("corepack") ?? "";
  if (/^\d+\.\d+\.\d+$/.test(line)) return;
  const mismatch = {
    problem: `corepack (which runs the ${packageManager} that \`packageManager\` names) does not run with Node ${node}: ${line.slice(0, 200) || "no output"}.`,
    hint: "Install corepack on the worker (`npm install -g corepack`, under /usr), or set `setup:` and `test:` in .github/jules.yml to commands that do not need it.",
  };
  report.mismatches.push(mismatch);
  report.lines.push(mismatch.problem);
}
