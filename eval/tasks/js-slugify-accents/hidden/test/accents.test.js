import assert from "node:assert/strict";
import test from "node:test";
import { slugify } from "../src/slugify.js";

test("transliterates accented letters", () => {
  assert.equal(slugify("Crème brûlée for beginners"), "creme-brulee-for-beginners");
  assert.equal(slugify("Ångström"), "angstrom");
  assert.equal(slugify("São Paulo"), "sao-paulo");
  assert.equal(slugify("naïve café"), "naive-cafe");
});

test("still drops what has no ASCII form", () => {
  assert.equal(slugify("Tea 🍵 time"), "tea-time");
  assert.equal(slugify("Hello World"), "hello-world");
});
