import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildRepoMap } from "../../../src/agent/context/repo-map.ts";
import { CHARS_PER_TOKEN } from "../../../src/agent/context/tokens.ts";
import { generateLargeRepo, makeTempDir } from "../../helpers/context-repo.ts";

const FILES = 20_400;

describe("buildRepoMap on a generated repository of 20,000+ files", { timeout: 300_000 }, () => {
  let dir = "";
  let remove = async () => {};

  beforeAll(async () => {
    ({ dir, remove } = await makeTempDir("openjules-large-"));
    await generateLargeRepo(dir, FILES);
  });

  afterAll(async () => {
    await remove();
  });

  for (const budget of [2_500, 800]) {
    it(`stays within a ${budget}-token budget`, async () => {
      const map = await buildRepoMap(dir, budget, { mentions: "findTheNeedle in src/core/special/needle.ts returns -1" });
      assert.ok(map.length <= budget * CHARS_PER_TOKEN, `${map.length} characters for ${budget} tokens`);
      const [header = ""] = map.split("\n");
      assert.match(header, /^Repository map: 20,405 files; (\d+) shown with their top-level symbols/);
      const shown = Number(/; (\d+) shown/.exec(header)?.[1]);
      assert.ok(shown >= 1 && shown <= (budget * CHARS_PER_TOKEN) / 60, `${shown} files with symbols`);
      assert.match(map, /^src\/core\/special\/needle\.ts\n {2}export function findTheNeedle\(haystack: string\[\]\): number$/m);
      assert.match(map, /^README\.md$/m);
      assert.match(map, /^Not listed above \(20,\d{3} files\), by directory:$/m);
      assert.match(map, /^ {2}packages\/ [\d,]+: area\d+\/ \d+/m);
      assert.doesNotMatch(map, /^build\//m, "git-ignored build/ is not listed");
    });
  }

  it("names the vendored tree it did not walk", async () => {
    const map = await buildRepoMap(dir, 2_500);
    assert.match(map, /^Not walked \(dependencies or vendored\): vendor\/$/m);
    assert.doesNotMatch(map, /^vendor\/lib/m);
  });
});
