import { posix } from "node:path";

/**
 * What Go and Rust need from the sandbox's environment, as pure functions of
 * the operator's extra read-only paths (JULES_SANDBOX_READONLY_PATHS).
 *
 * - Caches live in the task's HOME, from setup to tests: Go's defaults
 *   already put GOPATH (and so the module cache) at ~/go and GOCACHE at
 *   ~/.cache/go-build; CARGO_HOME (the registry, git checkouts, `cargo
 *   install`) is set to ~/.cargo whatever the rustup proxies would infer.
 * - GOFLAGS=-modcacherw: Go makes its module cache read-only, which makes a
 *   task's HOME impossible to delete or copy (an environment snapshot) for
 *   a non-root app; with it the cache is writable by its owner.
 * - GOTOOLCHAIN=local: Go 1.21+ would download the toolchain a go.mod names
 *   (during setup, and fail in tests without network); it runs the
 *   installed one and says plainly when it is too old.
 * - A toolchain outside /usr is put on PATH: each extra path ending in /bin
 *   (~/.cargo/bin), or else its bin/ (/opt/go → /opt/go/bin), after the
 *   tools setup installs into HOME and before the system's.
 * - A rustup home among them (a path named .rustup or rustup:
 *   /root/.rustup, /usr/local/rustup) is RUSTUP_HOME, so the rustup proxies
 *   in ~/.cargo/bin find their toolchains read-only; without it they look in
 *   the task's HOME and find none. RUSTUP_AUTO_INSTALL=0 (rustup 1.28+):
 *   it cannot install into a read-only home anyway.
 */

export function toolchainPath(extraReadOnly: readonly string[]): string[] {
  const dirs = extraReadOnly.map((path) => path.replace(/\/+$/, "")).map((path) => (posix.basename(path) === "bin" ? path : `${path}/bin`));
  return [...new Set(dirs)];
}

export function toolchainEnv(home: string, extraReadOnly: readonly string[]): Record<string, string> {
  const env: Record<string, string> = { GOFLAGS: "-modcacherw", GOTOOLCHAIN: "local", CARGO_HOME: `${home}/.cargo` };
  const rustup = extraReadOnly.map((path) => path.replace(/\/+$/, "")).find((path) => /^\.?rustup$/.test(posix.basename(path)));
  // Read-only, it can install nothing: a toolchain rust-toolchain.toml pins and the host lacks is then named ("toolchain '1.70.0-…' is not installed") instead of a failed temp file.
  if (rustup) Object.assign(env, { RUSTUP_HOME: rustup, RUSTUP_AUTO_INSTALL: "0" });
  return env;
}
