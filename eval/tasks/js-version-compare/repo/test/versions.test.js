import assert from "node:assert/strict";
import test from "node:test";
import { compareVersions, isUpdate, latest } from "../src/versions.js";

test("orders versions with one-digit parts", () => {
  assert.ok(compareVersions("1.2.3", "1.2.4") < 0);
  assert.ok(compareVersions("2.0.0", "1.9.9") > 0);
  assert.equal(compareVersions("1.2.3", "1.2.3"), 0);
});

test("latest and isUpdate", () => {
  assert.equal(latest(["1.2.0", "1.3.1", "1.3.0"]), "1.3.1");
  assert.equal(latest([]), undefined);
  assert.equal(isUpdate("1.2.0", "1.3.0"), true);
  assert.equal(isUpdate("1.3.0", "1.3.0"), false);
});
