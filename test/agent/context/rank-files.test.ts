import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { extractMentions, rankFiles } from "../../../src/agent/context/rank-files.ts";
import { bestCpuMs } from "../../helpers/cpu-time.ts";

const FILES = [
  "docs/guide/setup.md",
  "src/deep/nested/module/parser.ts",
  "src/index.ts",
  "src/utils.ts",
  "test/parser.test.ts",
  "package-lock.json",
  "package.json",
  "README.md",
  "examples/demo.ts",
  "src/config/loader.ts",
];

describe("rankFiles", () => {
  it("puts the README, manifests and entry points first, tests, examples and lock files last", () => {
    const ranked = rankFiles(FILES);
    assert.deepEqual(ranked.slice(0, 3), ["README.md", "package.json", "src/index.ts"]);
    assert.equal(ranked.at(-1), "package-lock.json");
    assert.ok(ranked.indexOf("src/utils.ts") < ranked.indexOf("test/parser.test.ts"));
    assert.ok(ranked.indexOf("src/utils.ts") < ranked.indexOf("examples/demo.ts"));
    assert.ok(ranked.indexOf("src/config/loader.ts") < ranked.indexOf("src/deep/nested/module/parser.ts"), "shallower first");
  });

  it("puts files mentioned by path, file name or bare name first", () => {
    assert.equal(rankFiles(FILES, "The crash is in `./src/deep/nested/module/parser.ts:42`")[0], "src/deep/nested/module/parser.ts");
    assert.equal(rankFiles(FILES, "see module/parser.ts")[0], "src/deep/nested/module/parser.ts");
    assert.equal(rankFiles(FILES, "loader.ts fails on Windows paths like src\\config\\loader.ts")[0], "src/config/loader.ts");
    const byWord = rankFiles(FILES, "the loader ignores env variables");
    assert.ok(byWord.indexOf("src/config/loader.ts") < byWord.indexOf("src/utils.ts"));
  });

  it("does not boost generic names mentioned as words", () => {
    const ranked = rankFiles(FILES, "the index and utils are fine");
    assert.deepEqual(ranked.slice(0, 3), ["README.md", "package.json", "src/index.ts"]);
  });

  it("is stable and deterministic", () => {
    assert.deepEqual(rankFiles([...FILES].reverse()), rankFiles(FILES));
    assert.deepEqual(rankFiles(["b/x.md", "a/x.md"]), ["a/x.md", "b/x.md"]);
  });

  it("penalises files in crowded directories", () => {
    const crowded = Array.from({ length: 300 }, (_, i) => `gen/f${i}.ts`);
    const ranked = rankFiles([...crowded, "lib/core.ts"]);
    assert.equal(ranked[0], "lib/core.ts");
  });
});

describe("extractMentions", () => {
  it("reads 65 KB of issue text in linear time (a run of dots before a letter once took seconds)", () => {
    let m = extractMentions("");
    const ms = bestCpuMs(() => (m = extractMentions(`${".".repeat(65_000)}x ${"a/".repeat(30_000)}b`)), 200);
    assert.ok(ms < 200, `${ms.toFixed(0)} ms of CPU`);
    assert.ok(m.tokens.size >= 1);
  });

  it("finds path-like tokens and longer words", () => {
    const m = extractMentions("Fix src/App.tsx:12 and ./lib/util.js, please; the Renderer breaks.");
    assert.ok(m.tokens.has("src/app.tsx"));
    assert.ok(m.tokens.has("lib/util.js"));
    assert.ok(m.words.has("renderer"));
    assert.equal(m.words.has("fix"), false);
  });
});
