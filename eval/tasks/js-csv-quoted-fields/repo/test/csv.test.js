import assert from "node:assert/strict";
import test from "node:test";
import { parseCsv, parseLine } from "../src/csv.js";

test("splits plain fields", () => {
  assert.deepEqual(parseLine("a,b,c"), ["a", "b", "c"]);
  assert.deepEqual(parseLine("a,,c"), ["a", "", "c"]);
});

test("rows become objects keyed by the header", () => {
  const rows = parseCsv("name,city\nAda,London\n\nGrace,Arlington\n");
  assert.deepEqual(rows, [
    { name: "Ada", city: "London" },
    { name: "Grace", city: "Arlington" },
  ]);
});
