import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Repositories on disk for the repository-map tests and the prompt-size
 * benchmark: a temp directory filled from a path → content record, and a
 * generated many-file repository (TypeScript, Python and Go modules spread
 * over nested packages, plus git-ignored and vendored trees that must not
 * show up).
 */

export async function makeTempDir(prefix = "openjules-context-"): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  const dirs = new Set(Object.keys(files).map((p) => dirname(join(root, p))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  await Promise.all(Object.entries(files).map(([p, content]) => writeFile(join(root, p), content)));
}

function module(language: "ts" | "py" | "go", pkg: string, n: number): string {
  const name = `${pkg.replace(/\W/g, "_")}_${n}`;
  if (language === "ts") {
    return `import { helper } from "./helper.ts";\n\nexport interface Options${n} { id: string; limit: number }\n\nexport function run${n}(options: Options${n}): number {\n  return helper(options.limit) + ${n};\n}\n\nexport class Service${n} {\n  constructor(readonly name: string) {}\n  start(): void {}\n  stop(): void {}\n}\n`;
  }
  if (language === "py") {
    return `"""Module ${name}."""\n\nLIMIT_${n} = ${n}\n\n\ndef compute_${n}(value: int) -> int:\n    return value * ${n}\n\n\nclass Handler${n}:\n    def handle(self, event):\n        return compute_${n}(event)\n`;
  }
  return `package ${pkg.replace(/\W/g, "") || "main"}\n\n// Compute${n} does work.\nfunc Compute${n}(v int) int { return v * ${n} }\n\ntype Store${n} struct{ items []string }\n\nfunc (s *Store${n}) Add(item string) { s.items = append(s.items, item) }\n`;
}

/**
 * Writes about `fileCount` source files (plus a README, manifests, a
 * .gitignore with an ignored tree, and a vendored tree) under `root`, in
 * directories of 50 files, `depth` levels deep.
 */
export async function generateLargeRepo(root: string, fileCount: number): Promise<void> {
  const files: Record<string, string> = {
    "README.md": "# Generated monorepo\n\nA large repository for benchmarks.\n",
    "package.json": '{ "name": "generated", "private": true }\n',
    "go.mod": "module example.com/generated\n\ngo 1.22\n",
    ".gitignore": "build/\n*.log\n",
    "src/core/special/needle.ts": "export function findTheNeedle(haystack: string[]): number {\n  return haystack.indexOf('needle');\n}\n",
  };
  const languages = ["ts", "py", "go"] as const;
  for (let i = 0; i < fileCount; i++) {
    const language = languages[i % 3] ?? "ts";
    const group = Math.floor(i / 50);
    const dir = `${language === "ts" ? "packages" : language === "py" ? "python" : "services"}/area${group % 20}/mod${group}`;
    files[`${dir}/file${i}.${language}`] = module(language, `mod${group}`, i);
  }
  for (let i = 0; i < 200; i++) files[`build/out${i}.js`] = "ignored();\n";
  for (let i = 0; i < 200; i++) files[`vendor/lib${i}/lib.go`] = "package lib\n";
  const entries = Object.entries(files);
  for (let i = 0; i < entries.length; i += 2000) await writeFiles(root, Object.fromEntries(entries.slice(i, i + 2000)));
}
