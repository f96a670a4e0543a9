import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { DoctorReport } from "../../src/ops/cli/doctor.ts";
import { testPrivateKey } from "../helpers/keys.ts";

/**
 * Where the sandbox user cannot reach the data directory and the host cannot
 * stage it (root without CAP_SYS_ADMIN, as in a default container: simulated
 * with `setpriv --bounding-set -sys_admin`, under which bubblewrap still runs
 * but `unshare --mount` does not), OpenJules says so once, at start-up and in
 * `openjules doctor`, with the fix, instead of failing every task.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const NO_SYS_ADMIN = ["setpriv", "--bounding-set", "-sys_admin", "--"];
const exec = promisify(execFile);
const asRoot = process.getuid?.() === 0;
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe("doctor and start-up: a data directory the sandbox user cannot reach, on a host that cannot stage it", { skip: !asRoot }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    // mkdtemp makes a 0700 directory: uid 65534 cannot enter it.
    dataDir = join(await mkdtemp(join(tmpdir(), "openjules-doctor-reach-")), "data");
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: "/tmp",
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: "secret",
      JULES_DATA_DIR: dataDir,
      GHE_HOST: "127.0.0.1:9",
      GHE_PROTOCOL: "http",
      PORT: String(await freePort()),
      LOG_LEVEL: "info",
    };
  });
  afterAll(async () => {
    await rm(join(dataDir, ".."), { recursive: true, force: true });
  });

  it("the same host with CAP_SYS_ADMIN stages it (so the failure below is the missing capability)", async () => {
    const { stdout } = await exec(NODE, [join(ROOT, "bin", "openjules.js"), "doctor", "--json"], { env, timeout: 120_000 }).catch((e: { stdout: string }) => e);
    const reach = (JSON.parse(stdout) as DoctorReport).checks.find((c) => c.name === "sandbox reach");
    assert.equal(reach?.status, "ok", JSON.stringify(reach));
    assert.match(reach!.detail, /bound into each sandbox from a private staging mount at \/run\/openjules-stage/);
  });

  it("openjules doctor fails the 'sandbox reach' check with the fix", async () => {
    const failed = await exec(NO_SYS_ADMIN[0]!, [...NO_SYS_ADMIN.slice(1), NODE, join(ROOT, "bin", "openjules.js"), "doctor", "--json"], { env, timeout: 120_000 }).then(
      () => assert.fail("doctor passed"),
      (e: { code: number; stdout: string }) => e,
    );
    assert.equal(failed.code, 1);
    const report = JSON.parse(failed.stdout) as DoctorReport;
    assert.equal(report.checks.find((c) => c.name === "sandbox")?.status, "ok", "bubblewrap itself still works");
    const reach = report.checks.find((c) => c.name === "sandbox reach");
    assert.equal(reach?.status, "fail", JSON.stringify(reach));
    assert.match(reach!.detail, /the sandbox user \(uid 65534\) cannot reach JULES_DATA_DIR \(.*openjules-doctor-reach-\w+ is not searchable by uid 65534\)/);
    assert.match(reach!.detail, /cannot stage them \(a staged trial sandbox failed .*unshare/);
    assert.match(reach!.fix!, /chmod o\+x .*openjules-doctor-reach-/);
    assert.match(reach!.fix!, /CAP_SYS_ADMIN/);
    assert.match(reach!.fix!, /non-root user/);
  });

  it("src/main.ts says it at start-up, with the fix", async () => {
    const child = spawn(NO_SYS_ADMIN[0]!, [...NO_SYS_ADMIN.slice(1), NODE, join(ROOT, "src", "main.ts"), "worker"], { env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no start-up line in 60 s")), 60_000);
        for (const stream of [child.stdout, child.stderr]) {
          createInterface({ input: stream }).on("line", (text) => {
            if (text.includes("sandbox reach") || text.includes("cannot reach JULES_DATA_DIR")) {
              clearTimeout(timer);
              resolve(text);
            }
          });
        }
        child.once("exit", () => reject(new Error("main exited before saying it")));
      });
      const entry = JSON.parse(line) as { level: number; msg: string; fix: string };
      assert.equal(entry.level, 50, "logged as an error");
      assert.match(entry.msg, /cannot reach JULES_DATA_DIR/);
      assert.match(entry.fix, /chmod o\+x/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
