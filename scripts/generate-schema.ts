/**
 * Writes `schema/jules.schema.json` from the zod schema of `.github/jules.yml`
 * (`npm run schema`). With `--check` it writes nothing and exits 1 when the
 * file is missing or differs from what would be generated. `--path <file>`
 * points it at another file (tests use this).
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderRepoConfigJsonSchema, SCHEMA_PATH } from "../src/config/json-schema.ts";

const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, path: { type: "string" } } });
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = values.path ? resolve(values.path) : resolve(root, SCHEMA_PATH);
const expected = renderRepoConfigJsonSchema();

if (values.check) {
  const current = await readFile(target, "utf8").catch(() => null);
  if (current !== expected) {
    console.error(`${target} is ${current === null ? "missing" : "stale"}: run \`npm run schema\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${target} is up to date.`);
} else {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, expected);
  console.log(`Wrote ${target}.`);
}
