import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildRepoMap, MAX_PARSE_BYTES } from "../../../src/agent/context/repo-map.ts";
import { makeTempDir, writeFiles } from "../../helpers/context-repo.ts";

describe("buildRepoMap on a small repository", () => {
  let dir = "";
  let remove = async () => {};

  beforeAll(async () => {
    ({ dir, remove } = await makeTempDir());
    await writeFiles(dir, {
      "README.md": "# Demo\n",
      "package.json": "{}\n",
      ".gitignore": "secret-build/\n*.generated.ts\n",
      "src/server.ts": "export async function startServer(port: number): Promise<void> {}\nexport class Router { add() {} match() {} }\n",
      "src/app.generated.ts": "export function shouldNotAppear() {}\n",
      "secret-build/out.ts": "export function alsoHidden() {}\n",
      "tools/report.py": "def build_report(rows: list) -> str:\n    return ''\n\nclass Exporter:\n    def write(self, path):\n        pass\n",
      "cmd/api/main.go": "package main\n\nfunc main() {}\n\n// Serve starts the API.\nfunc Serve(addr string) error { return nil }\n\ntype Config struct{ Addr string }\n",
      "docs/notes.txt": "plain text\n",
      "big/huge.ts": `export function tooBigToParse() {}\n${"// filler\n".repeat(Math.ceil(MAX_PARSE_BYTES / 10))}`,
    });
  });

  afterAll(async () => {
    await remove();
  });

  it("lists files with the top-level symbols of TypeScript, Python and Go files", async () => {
    const map = await buildRepoMap(dir, 2000);
    const lines = map.split("\n");
    assert.match(lines[0] ?? "", /^Repository map: 8 files; 3 shown with their top-level symbols/);
    const body = lines.slice(1).join("\n");
    assert.match(body, /^src\/server\.ts\n {2}export async function startServer\(port: number\): Promise<void>\n {2}export class Router \{ add, match \}$/m);
    assert.match(body, /^tools\/report\.py\n {2}def build_report\(rows: list\) -> str\n {2}class Exporter \{ write \}$/m);
    assert.match(body, /^cmd\/api\/main\.go\n {2}func Serve\(addr string\) error\n {2}type Config struct$/m);
    assert.match(body, /^README\.md$/m);
    assert.match(body, /^docs\/notes\.txt$/m);
  });

  it("respects .gitignore", async () => {
    const map = await buildRepoMap(dir, 2000);
    assert.doesNotMatch(map, /generated|secret-build|shouldNotAppear|alsoHidden/);
  });

  it("lists files too large to parse by name only", async () => {
    const map = await buildRepoMap(dir, 2000);
    assert.match(map, /^big\/huge\.ts$/m);
    assert.doesNotMatch(map, /tooBigToParse/);
  });

  it("sorts entries by path", async () => {
    const paths = (await buildRepoMap(dir, 2000))
      .split("\n")
      .slice(1)
      .filter((l) => !l.startsWith(" ") && !/^Not (listed|walked)/.test(l));
    assert.deepEqual(paths, [...paths].sort());
  });

  it("stays within a small budget, keeping the most useful files and summarising the rest", async () => {
    const map = await buildRepoMap(dir, 100);
    assert.ok(map.length <= 400, `${map.length} characters`);
    assert.match(map, /^README\.md$/m);
    assert.match(map, /^Not listed above \(\d+ files\), by directory:$/m);
  });

  it("shows a mentioned file first in line for symbols", async () => {
    const map = await buildRepoMap(dir, 130, { mentions: "The exporter in tools/report.py writes empty files" });
    assert.ok(map.length <= 520);
    assert.match(map, /^tools\/report\.py\n {2}def build_report/m);
  });

  it("says when the walk stopped at its file limit", async () => {
    const map = await buildRepoMap(dir, 2000, { maxFiles: 3 });
    assert.match(map, /^Repository map: 3 files \(the listing stops at this many\);/);
  });

  it("never exceeds even a tiny budget, and rejects a budget that is not positive", async () => {
    assert.ok((await buildRepoMap(dir, 5)).length <= 20);
    await assert.rejects(buildRepoMap(dir, 0), /tokenBudget must be a positive number/);
    await assert.rejects(buildRepoMap(dir, Number.NaN), /tokenBudget/);
  });
});
