import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { testPrivateKey } from "../helpers/keys.ts";
import { opsFixture, seedTask, type OpsFixture } from "../helpers/ops-fixtures.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/openjules.js", import.meta.url));

/** Runs the real `openjules` bin in `cwd` with a minimal environment; never rejects, returns code and output. */
async function openjules(node: string, cwd: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(node, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("the openjules bin (spawned)", () => {
  let fx: OpsFixture;
  let cwd: string;
  beforeAll(async () => {
    fx = await opsFixture();
    cwd = await mkdtemp(join(tmpdir(), "jules-bin-"));
  });
  afterAll(async () => {
    await fx.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it("reads .env from the working directory and lists tasks as JSON", async () => {
    const task = await seedTask(fx.store, "awaiting_approval");
    const key = Buffer.from(testPrivateKey()).toString("base64");
    await writeFile(join(cwd, ".env"), `APP_ID=1\nPRIVATE_KEY=${key}\nWEBHOOK_SECRET=secret\nJULES_DATA_DIR=${fx.dataDir}\n`);
    const r = await openjules(process.execPath, cwd, ["tasks", "list", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const page = JSON.parse(r.stdout);
    assert.deepEqual(
      page.tasks.map((t: { id: string; state: string }) => [t.id, t.state]),
      [[task.id, "awaiting_approval"]],
    );
  });

  it("doctor exits 1 and names the missing settings, under whichever node is on PATH (re-executing Node 24 when it is older)", async () => {
    const empty = await mkdtemp(join(tmpdir(), "jules-bin-empty-"));
    try {
      const r = await openjules("node", empty, ["doctor"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /\[FAIL\] settings: APP_ID must be the numeric App ID/);
      assert.match(r.stdout, /\[FAIL\] settings: WEBHOOK_SECRET is required/);
      assert.match(r.stdout, /\[skip\] GitHub App: skipped until the settings are valid/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
