import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { loadSettings, SettingsError } from "../../src/settings.ts";
import { testPrivateKey } from "../helpers/keys.ts";

/** JULES_SANDBOX_READONLY_PATHS: toolchains outside /usr made visible read-only, never the whole host nor the data directory. */
describe("settings: JULES_SANDBOX_READONLY_PATHS", () => {
  const base = { APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s3cret", JULES_DATA_DIR: "/srv/openjules" };
  const problems = (value: string) => {
    try {
      loadSettings({ ...base, JULES_SANDBOX_READONLY_PATHS: value });
      return [];
    } catch (error) {
      assert.ok(error instanceof SettingsError, String(error));
      return error.message.split("\n").filter((l) => l.includes("JULES_SANDBOX_READONLY_PATHS"));
    }
  };

  it("takes absolute directories, comma-separated, and hands them to the sandbox", () => {
    assert.deepEqual(loadSettings({ ...base, JULES_SANDBOX_READONLY_PATHS: " /opt/go , /opt/deno/" }).sandbox.readOnlyPaths, ["/opt/go", "/opt/deno"]);
    assert.deepEqual(loadSettings(base).sandbox.readOnlyPaths, []);
  });

  it("refuses relative paths, '..', '/', and the data directory, its parents or what is inside it", () => {
    assert.equal(problems("opt/go").length, 1);
    assert.equal(problems("/opt/../etc").length, 1);
    assert.match(problems("/")[0] ?? "", /whole host/);
    assert.match(problems("/srv")[0] ?? "", /overlaps JULES_DATA_DIR/);
    assert.match(problems("/srv/openjules/work")[0] ?? "", /overlaps JULES_DATA_DIR/);
    assert.deepEqual(problems("/srv/openjules-tools"), [], "a sibling that only shares a prefix is fine");
  });
});
