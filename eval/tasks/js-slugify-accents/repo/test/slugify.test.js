import assert from "node:assert/strict";
import test from "node:test";
import { slugify } from "../src/slugify.js";

test("joins words with dashes", () => {
  assert.equal(slugify("Hello World"), "hello-world");
  assert.equal(slugify("  Many   spaces  here "), "many-spaces-here");
});

test("drops punctuation", () => {
  assert.equal(slugify("What's new in 2024?"), "whats-new-in-2024");
  assert.equal(slugify("--dashes--everywhere--"), "dashes-everywhere");
});
