#!/usr/bin/env node
/**
 * The `openjules` command. OpenJules is TypeScript run by Node's type
 * stripping, which needs Node >= 22.20: on such a Node the CLI runs in this
 * process; on an older one (e.g. a system Node 20) it runs under the Node 24
 * that `npm ci` installs into node_modules (the `node` dev dependency), with
 * the same arguments, output, signals and exit code.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../src/ops/cli/main.ts", import.meta.url);
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);

if (major > 22 || (major === 22 && minor >= 20)) {
  await import(entry.href);
} else {
  const node = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
  if (!existsSync(node)) {
    console.error(
      `openjules needs Node.js 22.20 or newer (this is ${process.version}). Run \`npm ci\` in the OpenJules directory (it installs Node 24 into node_modules) or install Node 24.`,
    );
    process.exit(1);
  }
  const child = spawn(node, [fileURLToPath(entry), ...process.argv.slice(2)], { stdio: "inherit" });
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  child.on("exit", (code, signal) => {
    if (signal) {
      for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.off(s, forward);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
