import { exists, read, type Candidate } from "./files.ts";

/**
 * package.json with a real test script (npm's placeholder does not count):
 * npm, pnpm, yarn (classic or berry) or bun by lockfile, or the manager
 * `packageManager` names; pnpm and yarn named there run through corepack.
 */

const NPM_DEFAULT_TEST = /no test specified/;

/** The npm lockfiles, for deciding between Node and Deno in a repository that has both. */
export const NODE_LOCKFILES = ["pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb", "package-lock.json", "npm-shrinkwrap.json"];

export async function node(dir: string): Promise<Candidate | null> {
  const text = await read(dir, "package.json");
  if (text === null) return null;
  let pkg: { scripts?: Record<string, unknown>; packageManager?: unknown };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    return null;
  }
  const script = pkg.scripts?.test;
  if (typeof script !== "string" || !script.trim() || NPM_DEFAULT_TEST.test(script)) return null;
  const declared = typeof pkg.packageManager === "string" ? pkg.packageManager.split("@")[0] : undefined;
  const managers: [string, string, string, string][] = [
    ["pnpm-lock.yaml", "pnpm", "pnpm install --frozen-lockfile", "pnpm test"],
    ["yarn.lock", "yarn", (await exists(dir, ".yarnrc.yml")) ? "yarn install --immutable" : "yarn install --frozen-lockfile", "yarn test"],
    ["bun.lock", "bun", "bun install --frozen-lockfile", "bun run test"],
    ["bun.lockb", "bun", "bun install --frozen-lockfile", "bun run test"],
    ["package-lock.json", "npm", "npm ci", "npm test"],
    ["npm-shrinkwrap.json", "npm", "npm ci", "npm test"],
  ];
  // pnpm and yarn named in `packageManager` run through corepack (shipped with Node up to 24), which fetches
  // that exact version during setup (network) into HOME, where the tests find it again.
  const viaCorepack = declared === "pnpm" || declared === "yarn";
  const run = (command: string) => (viaCorepack ? `corepack ${command}` : command);
  const why = viaCorepack ? `; ${declared} through corepack, as \`packageManager\` names it` : "";
  for (const [lockfile, name, setup, test] of managers) {
    if ((declared === undefined || declared === name) && (await exists(dir, lockfile))) {
      return { family: "node", setup: run(setup), test: run(test), reason: `found ${lockfile} and a test script in package.json${why}` };
    }
  }
  const fallback = managers.find((m) => m[1] === declared) ?? managers[4]!;
  const setup = fallback[1] === "npm" ? "npm install" : fallback[2].replace(/ --(frozen-lockfile|immutable)/, "");
  return { family: "node", setup: run(setup), test: run(fallback[3]), reason: `found a test script in package.json (no lockfile; using ${fallback[1]})${why}` };
}
