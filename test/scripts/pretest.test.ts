import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { decide, missingPrerequisites, PREREQUISITES, type Prerequisite } from "../../scripts/pretest-plan.ts";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../../scripts/pretest.ts", import.meta.url));
const byCommand = (...names: string[]): Prerequisite[] => PREREQUISITES.filter((p) => names.includes(p.command));

let dir: string;
/** A PATH directory holding executables of the given names (the lookup only needs them to be executable). */
async function pathWith(name: string, programs: string[]): Promise<string> {
  const bin = join(dir, name);
  await mkdir(bin);
  for (const program of programs) {
    await writeFile(join(bin, program), "#!/bin/sh\nexit 0\n");
    await chmod(join(bin, program), 0o755);
  }
  return bin;
}

/** Runs scripts/pretest.ts --dry-run with this PATH and HOME; its exit code and output. */
async function pretest(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: path, HOME: join(dir, "home") };
  return run(process.execPath, [script, "--dry-run"], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "openjules-pretest-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("what the tests need from the OS (scripts/pretest-plan.ts)", () => {
  it("finds a program on PATH and reports the ones missing, with their Debian packages", async () => {
    const path = await pathWith("all-but-bwrap", ["git", "rg", "go", "cargo", "chromium", "espeak-ng"]);
    const missing = missingPrerequisites({ PATH: path, HOME: join(dir, "home") });
    expect(missing.map((p) => [p.command, p.apt])).toEqual([["bwrap", "bubblewrap"]]);
    expect(missingPrerequisites({ PATH: `${path}:${await pathWith("only-bwrap", ["bwrap"])}`, HOME: join(dir, "home") })).toEqual([]);
  });

  it("finds cargo in ~/.cargo/bin off PATH (rustup's place)", async () => {
    const home = join(dir, "rustup-home");
    await mkdir(join(home, ".cargo/bin"), { recursive: true });
    await writeFile(join(home, ".cargo/bin/cargo"), "#!/bin/sh\n");
    await chmod(join(home, ".cargo/bin/cargo"), 0o755);
    expect(missingPrerequisites({ PATH: "", HOME: home }, byCommand("cargo"))).toEqual([]);
    expect(missingPrerequisites({ PATH: "", HOME: join(dir, "nobody") }, byCommand("cargo")).map((p) => p.apt)).toEqual(["cargo"]);
  });

  it("installs with apt-get as root, names the command to run otherwise", () => {
    const missing = byCommand("bwrap", "rg");
    expect(decide([], { root: false, apt: false })).toEqual({ kind: "ready" });
    expect(decide(missing, { root: true, apt: true })).toEqual({
      kind: "install",
      packages: ["bubblewrap", "ripgrep"],
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "bubblewrap", "ripgrep"],
      ],
    });
    const notRoot = decide(missing, { root: false, apt: true });
    expect(notRoot.kind).toBe("stop");
    expect(notRoot.kind === "stop" && notRoot.message).toBe(
      "The tests need bwrap (bubblewrap), rg (ripgrep), which this machine lacks. Install them, then run the tests again:\n\n  sudo apt-get install -y bubblewrap ripgrep\n",
    );
    const noApt = decide(missing, { root: true, apt: false });
    expect(noApt.kind === "stop" && noApt.message).toMatch(/with this system's package manager \(Debian and Ubuntu: apt-get install -y bubblewrap ripgrep\)/);
  });
});

describe("npm test's pretest (scripts/pretest.ts)", () => {
  it("with PATH lacking bwrap: plans the apt-get install as root, stops with the command to run otherwise", async () => {
    const result = await pretest(await pathWith("no-bwrap", ["git", "rg", "go", "cargo", "chromium", "espeak-ng", "apt-get"]));
    if (process.getuid?.() === 0) {
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")).toEqual([
        "pretest: installing bubblewrap (the tests run them)",
        "pretest: would run apt-get update -qq",
        "pretest: would run apt-get install -y -qq bubblewrap",
        `pretest: would run bash ${fileURLToPath(new URL("../../scripts/ensure-services.sh", import.meta.url))}`,
        "",
      ]);
    } else {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("sudo apt-get install -y bubblewrap\n");
    }
  });

  it("without apt-get stops before the tests, naming the packages, and starts no service", async () => {
    const result = await pretest(await pathWith("no-apt", ["git", "rg", "go", "cargo", "chromium", "espeak-ng"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The tests need bwrap (bubblewrap), which this machine lacks.");
    expect(result.stderr).toContain("apt-get install -y bubblewrap");
    expect(result.stdout).not.toContain("ensure-services");
  });

  it("with everything in place only makes sure of the services", async () => {
    const result = await pretest(await pathWith("complete", ["git", "bwrap", "rg", "go", "cargo", "chromium", "espeak-ng"]));
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^pretest: would run bash .*scripts\/ensure-services\.sh\n$/);
  });
});
