import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { call } from "../helpers/fake-llm/script.ts";
import { cargoSparseRegistry, serveFiles, type ServedRegistry } from "../helpers/served-modules.ts";
import { startShapeApp, type ShapeApp } from "../helpers/shape-task.ts";
import { cargoToolchain } from "../helpers/toolchains.ts";

/**
 * A Rust crate with a path dependency (`util = { path = "util" }`) and one
 * from a registry (a sparse registry the repository's .cargo/config.toml
 * names, as a company's or a crates.io mirror, served by the test on this host
 * and allowlisted for setup by the operator). cargo is what this machine has:
 * rustup's proxies in ~/.cargo/bin with the toolchains in ~/.rustup, bound
 * read-only (JULES_SANDBOX_READONLY_PATHS), or Debian's /usr/bin/cargo.
 * Detection gives `cargo fetch` and `cargo test --offline`; setup fills
 * cargo's registry in the task's HOME and writes Cargo.lock; the tests, with
 * no network, build from it green and leave target/; only the agent's edit is
 * committed.
 */

const CRATE = {
  "Cargo.toml": '[package]\nname = "shape"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nutil = { path = "util" }\ntwice = "1.0"\n',
  "util/Cargo.toml": '[package]\nname = "util"\nversion = "0.1.0"\nedition = "2021"\n',
  "util/src/lib.rs": "/// The sum of a and b.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
  "src/lib.rs":
    "/// The answer, from both dependencies.\npub fn answer() -> i32 {\n    twice::twice(util::add(20, 0))\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn answer_is_42() {\n        assert_eq!(super::answer(), 42);\n    }\n}\n",
};
const TWICE = {
  "Cargo.toml": '[package]\nname = "twice"\nversion = "1.0.0"\nedition = "2021"\n',
  "src/lib.rs": "/// Two times n.\npub fn twice(n: i32) -> i32 {\n    2 * n\n}\n",
};

describe("repository shape: a Rust crate with a path dependency and a registry one (real sandbox, git and delivery)", { timeout: 600_000 }, () => {
  let registry: ServedRegistry;
  let shapes: ShapeApp;
  let cargoConfig: string;

  beforeAll(async () => {
    const cargo = await cargoToolchain();
    registry = await serveFiles({});
    const served = cargoSparseRegistry("twice", "1.0.0", TWICE, registry.url);
    Object.assign(registry.files, served.files);
    cargoConfig = served.source;
    shapes = await startShapeApp({ extraReadOnly: cargo.extraReadOnly, setupNetwork: { mode: "public", allowHosts: [registry.hostPort] } });
  });
  afterAll(async () => {
    await shapes?.close();
    await registry?.close();
  });

  it("setup fills cargo's registry in the task's HOME, the offline tests build from it green, target/ and Cargo.lock stay out, and the status and PR say what ran and why", async () => {
    const outcome = await shapes.task("rusty", { ...CRATE, ".cargo/config.toml": cargoConfig }, "on_setup_failure: stop\n", [
      // After setup, without network: the crate is in cargo's registry in the task's HOME, and Cargo.lock names it.
      call("run", { command: 'ls ~/.cargo/registry/cache/*/ && grep -A1 \'name = "twice"\' Cargo.lock && echo "CARGO_HOME=$CARGO_HOME"' }),
      call("edit_file", { path: "src/lib.rs", old_string: "util::add(20, 0)", new_string: "util::add(20, 1)" }),
      call("finish", { summary: "answer() is now 42." }),
    ]);

    assert.equal(outcome.task.state, "done", JSON.stringify(outcome.task.failure));
    assert.deepEqual(
      registry.requests.filter((p) => p.endsWith(".crate")),
      ["/dl/twice/1.0.0.crate"],
      "setup downloaded the crate once; nothing after it could",
    );
    assert.match(outcome.toolResults, /twice-1\.0\.0\.crate/);
    assert.match(outcome.toolResults, /CARGO_HOME=\/home\/sandbox\/\.cargo/);

    assert.match(outcome.prBody, /✅ `cargo test --offline` passed\./);
    assert.match(outcome.prBody, /test tests::answer_is_42 \.\.\. ok/);
    assert.equal(outcome.check?.conclusion, "success");
    assert.deepEqual(outcome.files, [".cargo/config.toml", "Cargo.toml", "src/lib.rs", "util/Cargo.toml", "util/src/lib.rs"]);
    assert.match(await outcome.show("src/lib.rs"), /twice::twice\(util::add\(20, 1\)\)/);
    assert.match(outcome.prBody, /`Cargo\.lock`: made by the setup command/);
    assert.match(outcome.prBody, /`target\/[^`]*`: made by the test run/);

    const chosen = outcome.statuses.find((s) => s.includes("tests: `")) ?? outcome.statuses.join("\n---\n");
    assert.match(chosen, /tests: `cargo test --offline` \(found Cargo\.toml\)/);
  });
});
