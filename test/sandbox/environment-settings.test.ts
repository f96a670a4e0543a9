import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { environmentSnapshots } from "../../src/sandbox/snapshot/index.ts";
import { loadSettings, SettingsError } from "../../src/settings.ts";
import { testPrivateKey } from "../helpers/keys.ts";

const base = () => ({ APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s3cret" });

describe("JULES_ENV_SNAPSHOT_MB", () => {
  it("caps the snapshots at 10 GB by default; 0 disables them; negative or fractional values are refused", () => {
    assert.equal(loadSettings(base()).environmentSnapshots.maxBytes, 10_240 * 1024 ** 2);
    assert.equal(loadSettings({ ...base(), JULES_ENV_SNAPSHOT_MB: "512" }).environmentSnapshots.maxBytes, 512 * 1024 ** 2);
    const off = loadSettings({ ...base(), JULES_ENV_SNAPSHOT_MB: "0" });
    assert.equal(off.environmentSnapshots.maxBytes, 0);
    assert.equal(environmentSnapshots(off), undefined, "no store when disabled");
    assert.ok(environmentSnapshots(loadSettings(base())), "a store by default");
    for (const bad of ["-1", "1.5", "lots"]) {
      assert.throws(
        () => loadSettings({ ...base(), JULES_ENV_SNAPSHOT_MB: bad }),
        (error) => error instanceof SettingsError && error.problems.some((p) => p.startsWith("JULES_ENV_SNAPSHOT_MB")),
        bad,
      );
    }
  });

  it("is always off in unsafe mode (an unconfined command could outlive setup and change what is copied)", () => {
    const unsafe = loadSettings({ ...base(), JULES_SANDBOX: "unsafe", JULES_WORKSPACE_SPARES: "0", JULES_ENV_SNAPSHOT_MB: "2048" });
    assert.equal(unsafe.environmentSnapshots.maxBytes, 0);
    assert.equal(environmentSnapshots(unsafe), undefined);
  });
});
