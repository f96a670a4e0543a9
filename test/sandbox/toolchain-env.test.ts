import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildBwrapCommand, SANDBOX_PATH, type BwrapPlan } from "../../src/sandbox/bubblewrap.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { resolveTestCommands } from "../../src/sandbox/test-commands.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";
import { cargoToolchain, goToolchain, type Toolchain } from "../helpers/toolchains.ts";

/**
 * The sandbox environment Go and Rust need: caches in the task's HOME,
 * toolchains bound read-only from outside /usr on PATH (rustup's proxies with
 * their RUSTUP_HOME), GOFLAGS=-modcacherw and GOTOOLCHAIN=local; and, in the
 * real sandbox, a vendored Go module and a rustup-installed cargo working.
 */

const plan = (extraReadOnly: string[]): BwrapPlan => ({
  bwrapPath: "/usr/bin/bwrap",
  layout: { symlinks: {}, dirs: [], etc: [], prlimitPath: "/usr/bin/prlimit", features: { disableUserns: true, tmpfsSize: true, seccomp: false } },
  workspace: "/data/w",
  gitEntry: null,
  cwd: "",
  home: "/data/h",
  egress: null,
  env: {},
  limits: { memoryBytes: 1, processes: 1, fileSizeBytes: 1, openFiles: 1, tmpfsBytes: 1 },
  extraReadOnly,
  dropTo: null,
  command: "true",
});
const envOf = (p: BwrapPlan) => {
  const args = buildBwrapCommand(p).args;
  return Object.fromEntries(args.flatMap((a, i) => (a === "--setenv" ? [[args[i + 1], args[i + 2]]] : [])));
};

describe("sandbox env for Go and Rust", () => {
  it("toolchains bound read-only are on PATH after HOME's tools and before the system's; a rustup home is RUSTUP_HOME", () => {
    const env = envOf(plan(["/root/.cargo/bin", "/root/.rustup", "/opt/go/"]));
    assert.ok(env.PATH?.startsWith(SANDBOX_PATH.slice(0, SANDBOX_PATH.indexOf(":/usr/local/sbin"))), env.PATH);
    assert.ok(env.PATH?.endsWith("/home/sandbox/go/bin:/root/.cargo/bin:/root/.rustup/bin:/opt/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), env.PATH);
    assert.equal(env.RUSTUP_HOME, "/root/.rustup");
    assert.equal(env.RUSTUP_AUTO_INSTALL, "0", "a read-only rustup home can install nothing: say so instead of failing on a temp file");
    assert.equal(envOf(plan(["/usr/local/cargo/bin", "/usr/local/rustup"])).RUSTUP_HOME, "/usr/local/rustup");
  });

  it("caches stay in the task's HOME, the module cache stays deletable, Go never downloads a toolchain; no RUSTUP_HOME without one bound", () => {
    const env = envOf(plan([]));
    assert.equal(env.CARGO_HOME, "/home/sandbox/.cargo");
    assert.equal(env.GOFLAGS, "-modcacherw");
    assert.equal(env.GOTOOLCHAIN, "local");
    assert.equal(env.RUSTUP_HOME, undefined);
    assert.equal(env.PATH, SANDBOX_PATH);
    // A repository can still choose its own (jules.yml env:).
    assert.equal(envOf({ ...plan([]), env: { GOFLAGS: "-mod=vendor" } }).GOFLAGS, "-mod=vendor");
  });
});

describe("sandbox: Go and Rust toolchains in the real sandbox", { timeout: 180_000 }, () => {
  let base: string;
  let go: Toolchain;
  let cargo: Toolchain;
  beforeAll(async () => {
    [go, cargo] = [await goToolchain(), await cargoToolchain()];
    base = await tempDir("openjules-toolchains-");
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const repo = async (name: string, entries: Record<string, string>) => {
    const ws = join(base, name);
    for (const [path, content] of Object.entries(entries)) {
      await mkdir(dirname(join(ws, path)), { recursive: true });
      await writeFile(join(ws, path), content);
    }
    execFileSync("git", ["init", "-q", ws]);
    const home = join(base, `${name}-home`);
    await mkdir(home);
    return { ws, home };
  };

  it("a vendored Go module: no download in setup (detection), go test green offline, Go's caches in the task's HOME", async () => {
    const { ws, home } = await repo("vendored", {
      "go.mod": "module example.com/app\n\ngo 1.18\n\nrequire example.com/greet v1.0.0\n",
      "go.sum": "",
      "app.go": 'package app\n\nimport "example.com/greet"\n\nfunc Greeting() string { return greet.Hello("world") }\n',
      "app_test.go":
        'package app\n\nimport "testing"\n\nfunc TestGreeting(t *testing.T) {\n\tif got := Greeting(); got != "Hello, world!" {\n\t\tt.Fatalf("got %q", got)\n\t}\n}\n',
      "vendor/modules.txt": "# example.com/greet v1.0.0\n## explicit; go 1.18\nexample.com/greet\n",
      "vendor/example.com/greet/greet.go": 'package greet\n\nfunc Hello(name string) string { return "Hello, " + name + "!" }\n',
    });
    const commands = await resolveTestCommands(ws, { setup: undefined, test: undefined });
    assert.deepEqual([commands.setup, commands.test, commands.reason], [null, "go test ./...", "found go.mod and vendor/modules.txt (dependencies vendored: nothing to download)"]);
    const runner = createSandboxRunner({ mode: "bubblewrap", extraReadOnly: go.extraReadOnly, limits: { memoryBytes: 4 * 1024 ** 3, processes: 256 } });
    const test = await runner.run(`${commands.test} && go env GOPATH GOMODCACHE GOCACHE`, { cwd: ws, timeoutMs: 150_000, home });
    assert.equal(test.exitCode, 0, test.output);
    assert.match(test.output, /^ok\s+example\.com\/app\b/m);
    assert.match(test.output, /^\/home\/sandbox\/go\n\/home\/sandbox\/go\/pkg\/mod\n\/home\/sandbox\/\.cache\/go-build$/m);
    assert.ok((await readdir(join(home, ".cache/go-build"))).length > 0, "the build cache is in the task's HOME on the host");
  });

  it("cargo through rustup's proxies bound read-only (RUSTUP_HOME from the bound paths): a path dependency builds and tests offline, CARGO_HOME in the task's HOME", async () => {
    const { ws, home } = await repo("crate", {
      "Cargo.toml": '[package]\nname = "shape"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nutil = { path = "util" }\n',
      "util/Cargo.toml": '[package]\nname = "util"\nversion = "0.1.0"\nedition = "2021"\n',
      "util/src/lib.rs": "pub fn add(a: i32, b: i32) -> i32 { a + b }\n",
      "src/lib.rs": "pub fn answer() -> i32 { util::add(40, 2) }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn answer_is_42() { assert_eq!(super::answer(), 42); }\n}\n",
    });
    const commands = await resolveTestCommands(ws, { setup: undefined, test: undefined });
    assert.deepEqual([commands.setup, commands.test], ["cargo fetch", "cargo test --offline"]);
    const runner = createSandboxRunner({ mode: "bubblewrap", extraReadOnly: cargo.extraReadOnly, limits: { memoryBytes: 4 * 1024 ** 3, processes: 256 } });
    const setup = await runner.run(commands.setup!, { cwd: ws, timeoutMs: 150_000, home });
    assert.equal(setup.exitCode, 0, setup.output);
    const test = await runner.run(`${commands.test} && echo "CARGO_HOME=$CARGO_HOME"`, { cwd: ws, timeoutMs: 150_000, home });
    assert.equal(test.exitCode, 0, test.output);
    assert.match(test.output, /test tests::answer_is_42 \.\.\. ok/);
    assert.match(test.output, /^CARGO_HOME=\/home\/sandbox\/\.cargo$/m);
    assert.ok((await readdir(join(home, ".cargo"))).length > 0, "cargo's home is the task's HOME on the host");
    // Only rustup reads rust-toolchain.toml (Debian's cargo ignores it): the check below is of rustup's proxies.
    if (!cargo.extraReadOnly.some((path) => /rustup$/.test(path))) return;
    // A toolchain the repository pins that the operator has not installed is named plainly (rustup would try to install it).
    await writeFile(join(ws, "rust-toolchain.toml"), '[toolchain]\nchannel = "1.70.0"\n');
    const pinned = await runner.run(commands.test!, { cwd: ws, timeoutMs: 150_000, home });
    assert.notEqual(pinned.exitCode, 0);
    assert.match(pinned.output, /toolchain '1\.70\.0-[\w-]+' is not installed/);
    assert.doesNotMatch(pinned.output, /Read-only file system/);
  });
});
