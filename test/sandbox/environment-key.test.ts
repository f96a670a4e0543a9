import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { environmentKey, hashManifests, type KeyInput } from "../../src/sandbox/snapshot/key.ts";
import { createdBySetup, scanCheckout } from "../../src/sandbox/snapshot/scan.ts";

const base: KeyInput = { repo: "github.com/acme/widget", setup: "npm ci", env: {}, network: true, manifests: { "package-lock.json": "aa", "package.json": "bb" }, toolchain: {} };

describe("environment key: exactly the inputs of setup", () => {
  it("is stable for the same inputs, whatever the order of their records", () => {
    const same = { ...base, manifests: { "package.json": "bb", "package-lock.json": "aa" } };
    assert.equal(environmentKey(base), environmentKey(same));
    assert.match(environmentKey(base), /^[0-9a-f]{64}$/);
    assert.equal(environmentKey({ ...base, repo: "GitHub.com/Acme/Widget" }), environmentKey(base), "repository names are case-insensitive on GitHub");
  });

  it("changes with the lockfile, the setup command, env:, network, the toolchain, the repository and the platform", () => {
    const key = environmentKey(base);
    const variants: KeyInput[] = [
      { ...base, manifests: { ...base.manifests, "package-lock.json": "ab" } },
      { ...base, manifests: { ...base.manifests, "packages/a/package.json": "cc" } },
      { ...base, setup: "npm ci --ignore-scripts" },
      { ...base, env: { NODE_ENV: "test" } },
      { ...base, network: false },
      { ...base, toolchain: { node: "22.11.0" } },
      { ...base, repo: "github.com/acme/other" },
    ];
    for (const variant of variants) assert.notEqual(environmentKey(variant), key, JSON.stringify(variant));
    assert.notEqual(environmentKey(base, "linux-arm64"), environmentKey(base, "linux-x64"));
  });
});

describe("scanning a checkout for the key and for what setup made", () => {
  let dir: string;
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-envkey-"));
    await write("package.json", "{}");
    await write("package-lock.json", '{"v":1}');
    await write("src/index.js", "export {};\n");
    await write("packages/a/package.json", "{}");
    await write("requirements/test.txt", "pytest\n");
    await write("vendor/tracked/go.mod", "module x\n"); // a tracked vendor folder: part of the checkout
    await write(".git", "gitdir: /elsewhere\n");
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const keyOf = async () => {
    const scan = await scanCheckout(dir);
    return environmentKey({ ...base, manifests: await hashManifests(dir, scan.manifests) });
  };

  it("hashes the manifests at any depth outside dependency folders, never .git or source files", async () => {
    const scan = await scanCheckout(dir);
    assert.deepEqual(scan.manifests, ["package-lock.json", "package.json", "packages/a/package.json", "requirements/test.txt"]);
    assert.ok(scan.paths.has("src/index.js") && scan.paths.has("vendor/tracked/go.mod") && !scan.paths.has(".git"));
    const before = await keyOf();
    await write("src/index.js", "export const changed = 1;\n");
    assert.equal(await keyOf(), before, "a source change keeps the key");
    await write("package-lock.json", '{"v":2}');
    assert.notEqual(await keyOf(), before, "a lockfile change is a new key");
  });

  it("hashes a linked manifest as its link text, never the file it points to", async () => {
    const outside = await mkdtemp(join(tmpdir(), "openjules-envkey-host-"));
    try {
      await writeFile(join(outside, "secret"), "one");
      await symlink(join(outside, "secret"), join(dir, "yarn.lock"));
      const before = await keyOf();
      await writeFile(join(outside, "secret"), "two");
      assert.equal(await keyOf(), before);
      const scan = await scanCheckout(dir);
      assert.equal((await hashManifests(dir, scan.manifests))["yarn.lock"], `link:${join(outside, "secret")}`);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("names what setup created: new dependency folders (kept), other new paths (not kept), caches (ignored)", async () => {
    const scan = await scanCheckout(dir);
    await write("node_modules/left-pad/index.js", "x");
    await write("packages/a/node_modules/b/index.js", "x");
    await write("vendor/tracked/new.go", "package x\n"); // inside the tracked vendor folder: not a dependency folder of setup's
    await write("dist/index.js", "built");
    await write("src/__pycache__/m.pyc", "x");
    await symlink("/etc", join(dir, "target")); // a link named like a dependency folder is never one
    const created = await createdBySetup(dir, scan.paths);
    assert.deepEqual(created.dependencies, ["node_modules", "packages/a/node_modules"]);
    assert.deepEqual(created.other, ["dist/", "target", "vendor/tracked/new.go"]);
  });
});
