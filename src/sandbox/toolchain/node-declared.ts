import { satisfies, type Version } from "./semver.ts";

/**
 * The Node version a repository declares, from the first of these that
 * names one (the order nvm, fnm, volta and npm users expect):
 * 1. `.nvmrc`  2. `.node-version`  3. `volta.node` in package.json
 * 4. `engines.node` in package.json (a range).
 * `.nvmrc` / `.node-version` hold a version ("22", "v22.11", "22.11.0"),
 * an LTS name (`lts/jod`, `lts/*`) or `node` / `stable` / `latest`
 * (`system` defers to the next source); comments (`#`) and blank lines are
 * ignored. A file whose content is none of these is ignored and said so.
 * Pure: the caller reads the files (through safe-read).
 */

export type NodeSource = ".nvmrc" | ".node-version" | "volta.node in package.json" | "engines.node in package.json";

export interface NodeRequirement {
  source: NodeSource;
  /** As written (trimmed, at most 100 characters). */
  declared: string;
  /** What npm installs: `node@<spec>` (a version, a partial version or a range; npm picks the highest match). */
  spec: string;
}

/** LTS code names (nvm's `lts/<name>`), and the newest, which `lts/*` means. */
const LTS: Record<string, number> = { argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14, gallium: 16, hydrogen: 18, iron: 20, jod: 22, krypton: 24 };
const NEWEST_LTS = Math.max(...Object.values(LTS));

/** The first line that is not blank or a comment. */
const firstLine = (text: string): string | undefined =>
  text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, "").trim())
    .find(Boolean);

/** The npm spec for an `.nvmrc`-style value, "system" for the sandbox's own, or null when it is not a Node version. */
export function versionFileSpec(text: string): string | null {
  const line = firstLine(text);
  if (!line || line.length > 100) return null;
  const value = line.toLowerCase();
  if (value === "system") return "system";
  if (value === "node" || value === "stable" || value === "latest" || value === "current") return "latest";
  const lts = /^lts\/(.+)$/.exec(value);
  if (lts) return lts[1] === "*" ? String(NEWEST_LTS) : LTS[lts[1]!] !== undefined ? String(LTS[lts[1]!]) : null;
  const version = /^v?(\d{1,3})(\.\d{1,4})?(\.\d{1,4})?$/.exec(value);
  return version ? `${version[1]}${version[2] ?? ""}${version[3] ?? ""}` : null;
}

/**
 * What the sources say, first found first; `ignored` names each source that
 * was there but unreadable as a version; `packageManager` is package.json's
 * when it names pnpm or yarn (run through corepack, which must work with the Node).
 */
export function nodeRequirement(files: { nvmrc: string | null; nodeVersion: string | null; packageJson: string | null }): {
  requirement: NodeRequirement | null;
  ignored: string[];
  packageManager: string | null;
} {
  const ignored: string[] = [];
  const pkg = packageJsonOf(files.packageJson, ignored);
  const declared = typeof pkg.packageManager === "string" && /^(pnpm|yarn)@/.test(pkg.packageManager) ? pkg.packageManager.slice(0, 100) : null;
  return { requirement: requirementOf(files, pkg, ignored), ignored, packageManager: declared };
}

type PackageJson = { volta?: { node?: unknown }; engines?: { node?: unknown }; packageManager?: unknown };

function packageJsonOf(text: string | null, ignored: string[]): PackageJson {
  try {
    const parsed: unknown = text === null ? {} : JSON.parse(text);
    if (parsed && typeof parsed === "object") return parsed as PackageJson;
  } catch {
    ignored.push("package.json (not valid JSON)");
  }
  return {};
}

function requirementOf(files: { nvmrc: string | null; nodeVersion: string | null }, pkg: PackageJson, ignored: string[]): NodeRequirement | null {
  const shown = (s: string) => JSON.stringify(s.trim().slice(0, 40));
  for (const [source, text] of [
    [".nvmrc", files.nvmrc],
    [".node-version", files.nodeVersion],
  ] as const) {
    if (text === null) continue;
    const spec = versionFileSpec(text);
    if (spec === null) ignored.push(`${source} (${shown(text)} is not a Node version)`);
    else if (spec !== "system") return { source, declared: firstLine(text)!, spec };
  }
  const volta = pkg.volta?.node;
  if (typeof volta === "string") {
    const spec = versionFileSpec(volta);
    if (spec === null || spec === "system") ignored.push(`volta.node in package.json (${shown(volta)} is not a Node version)`);
    else return { source: "volta.node in package.json", declared: volta.trim().slice(0, 100), spec };
  }
  const engines = pkg.engines?.node;
  if (typeof engines === "string" && engines.trim()) {
    if (satisfies([0, 0, 0], engines) === null) ignored.push(`engines.node in package.json (${shown(engines)} is not a version range)`);
    else return { source: "engines.node in package.json", declared: engines.trim().slice(0, 100), spec: engines.trim() };
  }
  return null;
}

/** Whether a Node version meets the requirement: a partial version is a prefix (22 → 22.x.x), a range is a range. */
export function nodeSatisfies(version: Version, requirement: NodeRequirement): boolean {
  if (requirement.spec === "latest") return false;
  return satisfies(version, requirement.spec) === true;
}
