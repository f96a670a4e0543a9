/**
 * What `npm test` needs from the OS before the tests start, and what to do
 * when some of it is missing (scripts/pretest.ts runs it): the programs the
 * tests run for real (git, bubblewrap, ripgrep, Go, cargo), each with the
 * Debian package that brings it. As root with apt-get the missing packages are
 * installed; otherwise the tests stop before they start with the exact command
 * to run, rather than failing one by one. PostgreSQL and Redis are
 * scripts/ensure-services.sh's job.
 */
import { constants, accessSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface Prerequisite {
  /** The program the tests run. */
  command: string;
  /** The Debian package that installs it. */
  apt: string;
  /** Where it may be installed off PATH (test/helpers/toolchains.ts looks there too). */
  elsewhere: (home: string) => string[];
}

export const PREREQUISITES: readonly Prerequisite[] = [
  { command: "git", apt: "git", elsewhere: () => [] },
  { command: "bwrap", apt: "bubblewrap", elsewhere: () => [] },
  { command: "rg", apt: "ripgrep", elsewhere: () => [] },
  { command: "go", apt: "golang-go", elsewhere: () => ["/usr/local/go/bin/go", "/usr/lib/go/bin/go"] },
  { command: "cargo", apt: "cargo", elsewhere: (home) => [join(home, ".cargo/bin/cargo"), "/usr/local/cargo/bin/cargo"] },
  { command: "chromium", apt: "chromium", elsewhere: () => [] },
  { command: "espeak-ng", apt: "espeak-ng", elsewhere: () => [] },
];

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `name` on PATH, or null. */
export function onPath(name: string, path: string): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** The prerequisites this machine lacks, looked up on PATH and in their usual places. */
export function missingPrerequisites(env: Record<string, string | undefined>, wanted: readonly Prerequisite[] = PREREQUISITES): Prerequisite[] {
  const path = env.PATH ?? "";
  return wanted.filter((p) => onPath(p.command, path) === null && !p.elsewhere(env.HOME ?? "/root").some(executable));
}

export type Decision = { kind: "ready" } | { kind: "install"; packages: string[]; commands: string[][] } | { kind: "stop"; message: string };

/** What to do about the missing prerequisites on a host that is root or not, with apt-get or without. */
export function decide(missing: readonly Prerequisite[], host: { root: boolean; apt: boolean }): Decision {
  if (missing.length === 0) return { kind: "ready" };
  const packages = missing.map((p) => p.apt);
  const what = missing.map((p) => (p.command === p.apt ? p.command : `${p.command} (${p.apt})`)).join(", ");
  if (host.apt && host.root) {
    return {
      kind: "install",
      packages,
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", ...packages],
      ],
    };
  }
  const how = host.apt
    ? `Install them, then run the tests again:\n\n  sudo apt-get install -y ${packages.join(" ")}\n`
    : `Install them with this system's package manager (Debian and Ubuntu: apt-get install -y ${packages.join(" ")}), then run the tests again.\n`;
  return { kind: "stop", message: `The tests need ${what}, which this machine lacks. ${how}` };
}
