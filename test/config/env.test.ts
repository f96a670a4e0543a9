import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { defaultRepoConfig, RepoConfigSchema } from "../../src/config/repo-config.ts";
import { validateRepoConfig } from "../../src/config/load.ts";

/** jules.yml `env:` (non-secret variables for setup, the agent's commands and tests) and setup's network default. */
describe("jules.yml env and setup_network", () => {
  it("setup has public network unless the repository says none; true/false stay aliases", () => {
    assert.equal(defaultRepoConfig().setup_network, "public");
    assert.equal(RepoConfigSchema.parse({ setup_network: "none" }).setup_network, "none");
    assert.equal(RepoConfigSchema.parse({ setup_network: false }).setup_network, "none");
    assert.equal(RepoConfigSchema.parse({ setup_network: true }).setup_network, "public");
  });

  it("takes capitalised names with string values", () => {
    assert.deepEqual(defaultRepoConfig().env, {});
    assert.deepEqual(RepoConfigSchema.parse({ env: { TZ: "Europe/Berlin", RUST_BACKTRACE: "1", _X: "" } }).env, { TZ: "Europe/Berlin", RUST_BACKTRACE: "1", _X: "" });
  });

  it("refuses the sandbox's own variables, bad names and values that are not strings, naming the key", () => {
    const refused = [
      "HOME",
      "PATH",
      "USER",
      "TMPDIR",
      "LD_PRELOAD",
      "LD_LIBRARY_PATH",
      "GIT_DIR",
      "GIT_CONFIG_GLOBAL",
      "HTTPS_PROXY",
      "NO_PROXY",
      "NPM_CONFIG_PREFIX",
      "http_proxy",
      "npm_config_prefix",
      "lower",
      "1ABC",
      "A-B",
    ];
    for (const name of refused) {
      const result = validateRepoConfig({ env: { [name]: "x" } });
      assert.equal(result.ok, false, name);
      assert.match(JSON.stringify(result), /env/, name);
    }
    assert.equal(validateRepoConfig({ env: { RETRIES: 3 } }).ok, false, "a number must be quoted");
    assert.equal(validateRepoConfig({ env: ["A=1"] }).ok, false);
    assert.equal(validateRepoConfig({ env: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`V${i}`, "x"])) }).ok, false);
  });
});
