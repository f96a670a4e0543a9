import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createSandboxRunner, type SandboxRunner } from "../../src/sandbox/runner.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * Name resolution in the real sandbox: it has no DNS, so a name outside its
 * /etc/hosts is "not found" at once (ENOTFOUND in Node, "Name or service not
 * known" in libc), not a temporary failure to retry (EAI_AGAIN), which makes
 * clients retry and suites that assert an unknown host's error fail (probot's
 * webhook-proxy test expects ENOTFOUND for a bad host). localhost still
 * resolves, with and without setup's network (setup reaches hosts through the
 * egress proxy, which resolves names itself).
 */

const NODE = process.execPath;
const LOOKUP = `${NODE} -e 'const t=Date.now();require("dns").lookup(process.argv[1],(e,a)=>console.log(process.argv[1], e ? e.code : a, Date.now()-t < 2000 ? "fast" : "slow"))'`;

describe("sandbox: name resolution without DNS (real bwrap)", () => {
  let base: string;
  let ws: string;
  let runner: SandboxRunner;
  beforeAll(async () => {
    base = await tempDir("openjules-names-");
    ws = join(base, "ws");
    await promisify(execFile)("git", ["init", "-q", ws]);
    runner = createSandboxRunner({ mode: "bubblewrap", extraReadOnly: [NODE], setupNetwork: { mode: "public", allowHosts: [] } });
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  for (const network of [false, true]) {
    it(`an unknown name is not found at once, localhost resolves (${network ? "setup's network" : "no network"})`, async () => {
      const result = await runner.run(`${LOOKUP} smee.io; ${LOOKUP} bad.n36ez4fp.proxy; ${LOOKUP} localhost; getent hosts smee.io; echo "getent $?"`, {
        cwd: ws,
        timeoutMs: 30_000,
        network,
      });
      assert.equal(result.exitCode, 0, result.output);
      const lines = result.output.trim().split("\n");
      assert.deepEqual(lines.slice(0, 2), ["smee.io ENOTFOUND fast", "bad.n36ez4fp.proxy ENOTFOUND fast"]);
      assert.match(lines[2] ?? "", /^localhost (?:::1|127\.0\.0\.1) fast$/);
      assert.equal(lines.at(-1), "getent 2", "getent: key not found");
    });
  }
});
