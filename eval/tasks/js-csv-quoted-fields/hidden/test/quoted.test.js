import assert from "node:assert/strict";
import test from "node:test";
import { parseCsv, parseLine } from "../src/csv.js";

test("a quoted field keeps its commas", () => {
  assert.deepEqual(parseLine('"Doe, Jane","12 Main St, Apt 4",Springfield'), ["Doe, Jane", "12 Main St, Apt 4", "Springfield"]);
});

test("doubled quotes inside a quoted field are one quote", () => {
  assert.deepEqual(parseLine('1,"say ""hi""",x'), ["1", 'say "hi"', "x"]);
  assert.deepEqual(parseLine('""'), [""]);
});

test("the import reads quoted addresses", () => {
  const rows = parseCsv('name,address\n"Doe, Jane","12 Main St, Apt 4"\r\nAda,London\n');
  assert.deepEqual(rows, [
    { name: "Doe, Jane", address: "12 Main St, Apt 4" },
    { name: "Ada", address: "London" },
  ]);
  assert.deepEqual(parseLine("a,,c"), ["a", "", "c"]);
});
