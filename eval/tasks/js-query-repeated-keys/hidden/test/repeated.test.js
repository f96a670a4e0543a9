import assert from "node:assert/strict";
import test from "node:test";
import { parseQuery, stringifyQuery } from "../src/query.js";

test("a repeated key gives an array, in order", () => {
  assert.deepEqual(parseQuery("color=red&color=blue&size=m"), { color: ["red", "blue"], size: "m" });
  assert.deepEqual(parseQuery("?a=1&a=2&a=3"), { a: ["1", "2", "3"] });
  assert.deepEqual(parseQuery("page=2"), { page: "2" });
});

test("arrays are written as repeated keys", () => {
  assert.equal(stringifyQuery({ color: ["red", "blue"], size: "m" }), "color=red&color=blue&size=m");
  const query = stringifyQuery(parseQuery("tag=a%26b&tag=c"));
  assert.equal(query, "tag=a%26b&tag=c");
});
