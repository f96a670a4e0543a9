import assert from "node:assert/strict";
import test from "node:test";
import { compareVersions, isUpdate, latest } from "../src/versions.js";

test("parts compare as numbers", () => {
  assert.ok(compareVersions("1.10.0", "1.9.0") > 0);
  assert.ok(compareVersions("1.9.0", "1.10.0") < 0);
  assert.ok(compareVersions("10.0.0", "9.99.99") > 0);
  assert.equal(latest(["1.2.0", "1.10.0", "1.9.3"]), "1.10.0");
  assert.equal(isUpdate("1.10.0", "1.9.0"), false);
});

test("missing parts are 0 and a leading v is ignored", () => {
  assert.equal(compareVersions("2.1", "2.1.0"), 0);
  assert.ok(compareVersions("2.1.1", "2.1") > 0);
  assert.equal(compareVersions("v1.4.2", "1.4.2"), 0);
  assert.ok(compareVersions("v1.10.0", "v1.2.0") > 0);
});
