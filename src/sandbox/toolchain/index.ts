/**
 * Toolchains: what a repository declares (declared.ts), what the sandbox has
 * and the Node installed into the task's HOME when it differs (ensure.ts,
 * node-install.ts). The test phase calls `declaredToolchains` on the
 * pristine checkout (its `key` goes into the environment snapshot's key),
 * `ensureToolchains` before setup, and `withToolchain` on each test report.
 */

export { declaredToolchains } from "./declared.ts";
export { ensureToolchains, type ToolchainReport } from "./ensure.ts";
export { withToolchain } from "./with-toolchain.ts";
