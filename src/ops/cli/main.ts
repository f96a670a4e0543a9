/**
 * Entry of the `openjules` command (bin/openjules.js runs this file): loads
 * `.env` from the working directory when there is one (as the server does
 * through Probot), then runs the command line with the real environment,
 * backends and GitHub, and exits with its code.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configuredBackends } from "./backends.ts";
import { runCli } from "./program.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const mainUrl = new URL("../../main.ts", import.meta.url);

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  backends: configuredBackends,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  async status(settings, log, backends) {
    // The same composition as the server, so the status comment is rendered and paced exactly as the worker does it.
    const [{ createRuntime }, { createWorkspaces }] = await Promise.all([import("../../runtime.ts"), import("../../workspace/from-settings.ts")]);
    const runtime = createRuntime({ settings, log, store: backends.store, queue: backends.queue, agent: null, workspaces: createWorkspaces(settings, settings.workspace) });
    return runtime.deps.status;
  },
  async serve(mode) {
    // src/main.ts reads its mode from argv, as when started as `node src/main.ts <mode>`.
    process.argv.splice(1, Infinity, fileURLToPath(mainUrl), mode);
    await import(mainUrl.href);
  },
});
