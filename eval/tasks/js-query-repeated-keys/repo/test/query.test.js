import assert from "node:assert/strict";
import test from "node:test";
import { parseQuery, stringifyQuery } from "../src/query.js";

test("parses keys and values", () => {
  assert.deepEqual(parseQuery("?q=red+shoes&page=2"), { q: "red shoes", page: "2" });
  assert.deepEqual(parseQuery("flag&x=%C3%A9"), { flag: "", x: "é" });
  assert.deepEqual(parseQuery(""), {});
});

test("writes a query string", () => {
  assert.equal(stringifyQuery({ q: "red shoes", page: "2", none: undefined }), "q=red%20shoes&page=2");
});
