import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { renderRepoConfigJsonSchema, SCHEMA_PATH } from "../../src/config/json-schema.ts";
import { validateRepoConfig } from "../../src/config/load.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

describe("schema/jules.schema.json", () => {
  it("matches what scripts/generate-schema.ts generates (run `npm run schema` if not)", async () => {
    const checkedIn = await readFile(`${root}${SCHEMA_PATH}`, "utf8");
    assert.equal(checkedIn, renderRepoConfigJsonSchema(), `${SCHEMA_PATH} is stale: run \`npm run schema\``);
  });

  it("has a title, a description and a description on every field", () => {
    const schema = JSON.parse(renderRepoConfigJsonSchema()) as {
      $schema: string;
      title: string;
      description: string;
      properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;
    };
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.ok(schema.title && schema.description);
    for (const [key, field] of Object.entries(schema.properties)) {
      assert.ok(field.description, key);
      for (const [sub, inner] of Object.entries(field.properties ?? {})) assert.ok(inner.description, `${key}.${sub}`);
    }
  });

  it("agrees with the zod schema on valid and invalid files", () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(renderRepoConfigJsonSchema()));
    const samples: unknown[] = [
      {},
      { command: "Bot", approval: "auto", approvers: "others", budgets: { max_turns: 5, max_cost_usd: 1.5 }, labels: ["x"] },
      { _extends: ".github", draft: false },
      { approval: "sometimes" },
      { aproval: "required" },
      { budgets: { max_turns: 0 } },
      { budgets: { max_turns: 2.5 } },
      { budgets: { typo: 1 } },
      { command: "/jules" },
      { command: "two words" },
      { label: "" },
      { deny_paths: [""] },
      { draft: "yes" },
      ["approval"],
    ];
    for (const sample of samples) {
      assert.equal(validate(sample), validateRepoConfig(sample).ok, JSON.stringify(sample));
    }
  });

  it("--check passes on the checked-in file", async () => {
    const { stdout } = await run(process.execPath, ["scripts/generate-schema.ts", "--check"], { cwd: root });
    assert.match(stdout, /is up to date/);
  });

  it("--check exits 1 with a message on a stale or missing file, and writing fixes it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openjules-schema-"));
    try {
      const file = join(dir, "jules.schema.json");
      await writeFile(file, renderRepoConfigJsonSchema().replace("OpenJules repository settings", "old title"));
      const stale = await run(process.execPath, ["scripts/generate-schema.ts", "--check", "--path", file], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
      assert.equal((stale as { code?: number }).code, 1);
      assert.match((stale as { stderr: string }).stderr, /is stale: run `npm run schema`/);
      const missing = await run(process.execPath, ["scripts/generate-schema.ts", "--check", "--path", join(dir, "none.json")], { cwd: root }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      assert.match((missing as { stderr: string }).stderr, /is missing/);
      await run(process.execPath, ["scripts/generate-schema.ts", "--path", file], { cwd: root });
      assert.equal(await readFile(file, "utf8"), renderRepoConfigJsonSchema());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
