// Run by test/sandbox/reach.test.ts with a Node binary copied into a 0700 directory: that binary is
// process.execPath here, so it is the one setup's egress forwarder must run on inside the sandbox.
// Usage: <node> reach-child.ts <allowlisted port> <data dir>; prints the run's result as JSON.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";

const [port, dataDir] = process.argv.slice(2) as [string, string];
const ws = join(dataDir, "work", "task");
await mkdir(ws, { recursive: true });
await writeFile(join(ws, ".git"), "gitdir: /nowhere\n");
const runner = createSandboxRunner({ mode: "bubblewrap", setupNetwork: { mode: "public", allowHosts: [`localhost:${port}`] } });
const result = await runner.run(`curl -sS --max-time 20 --noproxy '' -x "$HTTP_PROXY" http://localhost:${port}/from-setup`, { cwd: ws, timeoutMs: 60_000, network: true });
console.log(JSON.stringify(result));
