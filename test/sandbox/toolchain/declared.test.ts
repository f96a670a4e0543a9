import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { declaredToolchains } from "../../../src/sandbox/toolchain/declared.ts";
import { nodeRequirement, nodeSatisfies, versionFileSpec } from "../../../src/sandbox/toolchain/node-declared.ts";
import { nodeDir } from "../../../src/sandbox/toolchain/node-install.ts";
import { goRequirement, installedVersion, otherSatisfies, pythonRequirement, pythonSatisfies, rustRequirement } from "../../../src/sandbox/toolchain/others-declared.ts";
import { satisfies } from "../../../src/sandbox/toolchain/semver.ts";
import { tempDir } from "../../helpers/git/workspace-fixture.ts";

const none = { nvmrc: null, nodeVersion: null, packageJson: null };
const pkg = (value: unknown) => JSON.stringify(value);

describe("the Node version a repository declares", () => {
  it("reads .nvmrc / .node-version values as nvm does", () => {
    expect(versionFileSpec("22\n")).toBe("22");
    expect(versionFileSpec("v22.11.0")).toBe("22.11.0");
    expect(versionFileSpec("# pinned\n\n  v20.9 \n")).toBe("20.9");
    expect(versionFileSpec("lts/iron")).toBe("20");
    expect(versionFileSpec("lts/jod")).toBe("22");
    expect(versionFileSpec("lts/*")).toBe("24");
    expect(versionFileSpec("node")).toBe("latest");
    expect(versionFileSpec("system")).toBe("system");
    for (const garbage of ["", "hello world", "lts/unknown", "22; rm -rf /", "$(id)", "v22.x.foo", "9".repeat(200)]) expect(versionFileSpec(garbage)).toBeNull();
  });

  it("takes the first source that names a version: .nvmrc, .node-version, volta.node, engines.node", () => {
    const packageJson = pkg({ volta: { node: "20.11.1" }, engines: { node: ">=18" } });
    expect(nodeRequirement({ nvmrc: "22", nodeVersion: "21", packageJson }).requirement).toEqual({ source: ".nvmrc", declared: "22", spec: "22" });
    expect(nodeRequirement({ nvmrc: null, nodeVersion: "21.1\n", packageJson }).requirement).toEqual({ source: ".node-version", declared: "21.1", spec: "21.1" });
    expect(nodeRequirement({ ...none, packageJson }).requirement).toEqual({ source: "volta.node in package.json", declared: "20.11.1", spec: "20.11.1" });
    expect(nodeRequirement({ ...none, packageJson: pkg({ engines: { node: "^18 || >=22" } }) }).requirement).toEqual({
      source: "engines.node in package.json",
      declared: "^18 || >=22",
      spec: "^18 || >=22",
    });
    expect(nodeRequirement({ ...none, packageJson: pkg({ name: "x" }) }).requirement).toBeNull();
    // `system` defers to the next source.
    expect(nodeRequirement({ nvmrc: "system", nodeVersion: null, packageJson }).requirement?.source).toBe("volta.node in package.json");
  });

  it("skips and names a source that is not a version, and falls through to the next", () => {
    const result = nodeRequirement({ nvmrc: "hello world", nodeVersion: null, packageJson: pkg({ engines: { node: "definitely not a range" }, volta: { node: 7 } }) });
    expect(result.requirement).toBeNull();
    expect(result.ignored).toEqual(['.nvmrc ("hello world" is not a Node version)', 'engines.node in package.json ("definitely not a range" is not a version range)']);
    const broken = nodeRequirement({ nvmrc: null, nodeVersion: "20", packageJson: "{ not json" });
    expect(broken.requirement?.spec).toBe("20");
    expect(broken.ignored).toEqual(["package.json (not valid JSON)"]);
  });

  it("names pnpm or yarn from packageManager (they run through corepack), not npm or bun", () => {
    expect(nodeRequirement({ ...none, packageJson: pkg({ packageManager: "pnpm@9.12.0" }) }).packageManager).toBe("pnpm@9.12.0");
    expect(nodeRequirement({ ...none, packageJson: pkg({ packageManager: "yarn@4.5.1" }) }).packageManager).toBe("yarn@4.5.1");
    expect(nodeRequirement({ ...none, packageJson: pkg({ packageManager: "npm@10.0.0" }) }).packageManager).toBeNull();
  });

  it("decides whether the sandbox's Node meets it: a partial version is a prefix, a range a range", () => {
    const req = (spec: string) => ({ source: ".nvmrc" as const, declared: spec, spec });
    expect(nodeSatisfies([20, 20, 2], req("20"))).toBe(true);
    expect(nodeSatisfies([20, 20, 2], req("22"))).toBe(false);
    expect(nodeSatisfies([20, 20, 2], req("20.20"))).toBe(true);
    expect(nodeSatisfies([20, 20, 2], req("20.19.0"))).toBe(false);
    expect(nodeSatisfies([20, 20, 2], req(">=18"))).toBe(true);
    expect(nodeSatisfies([20, 20, 2], req(">=22.20"))).toBe(false);
    expect(nodeSatisfies([24, 0, 0], req("latest"))).toBe(false);
  });
});

describe("npm's semver ranges (the subset engines.node uses)", () => {
  const cases: [string, string, boolean][] = [
    ["20.20.2", ">=18", true],
    ["16.0.0", ">=18", false],
    ["20.20.2", "^18 || ^20", true],
    ["21.0.0", "^18 || ^20", false],
    ["20.20.2", ">= 18.17.0 <21", true],
    ["21.0.0", ">=18.17.0 <21", false],
    ["20.20.2", "18.x || 20.x", true],
    ["20.20.2", "20.x.x", true],
    ["20.20.2", "~20.20.0", true],
    ["20.21.0", "~20.20", false],
    ["20.20.2", "18 - 20", true],
    ["21.0.0", "18 - 20", false],
    ["20.20.2", "18 - 20.19", false],
    ["20.20.2", "*", true],
    ["20.20.2", "", true],
    ["0.2.5", "^0.2.3", true],
    ["0.3.0", "^0.2.3", false],
    ["20.20.2", ">20", false],
    ["21.0.0", ">20", true],
    ["20.20.2", "<=20", true],
    ["21.0.0", "<=20", false],
    ["20.20.2", "v20.20.2", true],
  ];
  it.each(cases)("%s satisfies %j: %s", (version, range, expected) => {
    expect(satisfies(version.split(".").map(Number) as [number, number, number], range)).toBe(expected);
  });
  it("answers null for what it cannot read, never a guess", () => {
    for (const range of ["latest", "node >=18", ">=18 && <20", "x".repeat(300), "git+https://x"]) expect(satisfies([20, 0, 0], range)).toBeNull();
  });
});

describe("Python, Go and Rust declarations", () => {
  it("reads requires-python from [project] and checks PEP 440 specifiers", () => {
    expect(pythonRequirement('[project]\nname = "x"\nrequires-python = ">=3.12"\n[tool.x]\nrequires-python = "nope"\n')?.declared).toBe(">=3.12");
    expect(pythonRequirement('[tool.poetry]\nrequires-python = ">=3.12"\n')).toBeNull();
    expect(pythonSatisfies("3.11.2", ">=3.12")).toBe(false);
    expect(pythonSatisfies("3.11.2", ">=3.8,<4")).toBe(true);
    expect(pythonSatisfies("3.11.2", "~=3.10")).toBe(true);
    expect(pythonSatisfies("3.11.2", "~=3.10.1")).toBe(false);
    expect(pythonSatisfies("3.11.2", "==3.11.*")).toBe(true);
    expect(pythonSatisfies("3.11.2", "!=3.11.*")).toBe(false);
    expect(pythonSatisfies("3.11.2", "==3.11")).toBe(false);
    expect(pythonSatisfies("3.11.2", ">=3.9; os_name == 'nt'")).toBeNull();
  });

  it("reads go.mod's go directive and compares it with `go version`", () => {
    const go = goRequirement("module example.com/x\n\ngo 1.22.1\n\ntoolchain go1.22.3\n");
    expect(go).toEqual({ language: "go", source: "the go directive in go.mod", declared: "1.22.1" });
    expect(installedVersion("go", "go version go1.19.8 linux/amd64")).toBe("1.19.8");
    expect(otherSatisfies(go!, "1.19.8")).toBe(false);
    expect(otherSatisfies(goRequirement("module x\ngo 1.18\n")!, "1.19.8")).toBe(true);
    expect(goRequirement("module x\n")).toBeNull();
  });

  it("reads rust-toolchain(.toml) channels and compares them with `rustc --version`", () => {
    const toml = rustRequirement('[toolchain]\nchannel = "1.70.0"\ncomponents = ["clippy"]\n', "rust-toolchain.toml");
    expect(toml?.declared).toBe("1.70.0");
    expect(rustRequirement("nightly-2024-05-01\n", "rust-toolchain")?.declared).toBe("nightly-2024-05-01");
    expect(installedVersion("rust", "rustc 1.63.0")).toBe("1.63.0");
    expect(installedVersion("rust", "rustc 1.80.0-nightly (abc 2024-05-01)")).toBe("1.80.0-nightly");
    expect(otherSatisfies(toml!, "1.63.0")).toBe(false);
    expect(otherSatisfies(toml!, "1.70.0")).toBe(true);
    expect(otherSatisfies(rustRequirement("1.70", "rust-toolchain")!, "1.70.2")).toBe(true);
    expect(otherSatisfies(rustRequirement("stable", "rust-toolchain")!, "1.63.0")).toBe(true);
    expect(otherSatisfies(rustRequirement("nightly", "rust-toolchain")!, "1.63.0")).toBe(false);
  });
});

describe("declaredToolchains reads the files through safe-read", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("openjules-declared-");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("finds each kind and gives the snapshot key of the declared Node", async () => {
    await writeFile(join(dir, ".node-version"), "22\n");
    await writeFile(join(dir, "package.json"), pkg({ engines: { node: ">=18" }, packageManager: "pnpm@9.12.0" }));
    await writeFile(join(dir, "pyproject.toml"), '[project]\nrequires-python = ">=3.12"\n');
    await writeFile(join(dir, "go.mod"), "module x\n\ngo 1.21\n");
    await writeFile(join(dir, "rust-toolchain"), "1.70.0\n");
    const found = await declaredToolchains(dir);
    expect(found.node).toEqual({ source: ".node-version", declared: "22", spec: "22" });
    expect(found.packageManager).toBe("pnpm@9.12.0");
    expect(found.others.map((o) => `${o.language} ${o.declared}`)).toEqual(["python >=3.12", "go 1.21", "rust 1.70.0"]);
    expect(found.key).toEqual({ node: "22" });
    expect(found.ignored).toEqual([]);
  });

  it("a FIFO, an oversized file and a link out of the tree are not read, and are named", async () => {
    execFileSync("mkfifo", [join(dir, ".nvmrc")]);
    await writeFile(join(dir, ".node-version"), `${"2".repeat(5000)}\n`);
    await symlink("/etc/hostname", join(dir, "go.mod"));
    await writeFile(join(dir, "package.json"), pkg({ engines: { node: "^20" } }));
    const found = await declaredToolchains(dir);
    expect(found.node?.source).toBe("engines.node in package.json");
    assert.equal(found.ignored.length, 3, found.ignored.join("\n"));
    expect(found.ignored[0]).toMatch(/^\.nvmrc \(.*not a regular file \(a FIFO\)\)$/);
    expect(found.ignored[1]).toMatch(/^\.node-version \(.*over the 4096-byte limit\)$/);
    expect(found.ignored[2]).toMatch(/^go\.mod \(/);
    expect(found.others).toEqual([]);
  });

  it("nothing declared: no requirement, an empty key", async () => {
    const found = await declaredToolchains(dir);
    expect(found).toEqual({ node: null, packageManager: null, others: [], ignored: [], key: {} });
  });

  it("folder names: readable for versions, a hash for ranges (no shell or path characters)", () => {
    expect(nodeDir("22")).toBe("node-22");
    expect(nodeDir("22.11.0")).toBe("node-22.11.0");
    expect(nodeDir("latest")).toBe("node-latest");
    expect(nodeDir(">=18 <21 || ../x")).toMatch(/^node-range-[0-9a-f]{12}$/);
  });
});
