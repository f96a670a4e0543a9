/**
 * Entry of the `openjules` command (bin/openjules.js runs this file): loads
 * `.env` from the working directory when there is one (as the server does
 * through Probot), then runs the command line with the real environment,
 * backends and GitHub, and exits with its code. The server commands and the
 * local control plane go through the composition root (src/composition/),
 * loaded only when a command needs it.
 */
import { existsSync } from "node:fs";
import { configuredBackends } from "./backends.ts";
import { runCli } from "./program.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const root = () => import("../../composition/open-jules.ts");

// The first Ctrl-C ends `tasks monitor`, `tasks events --follow` and `channel` cleanly (terminal restored, state saved, exit 130); a second one kills.
const interrupt = new AbortController();
if (process.argv[2] === "tasks" || process.argv[2] === "channel") process.once("SIGINT", () => interrupt.abort());
const out = process.stdout;

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  backends: configuredBackends,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  screen:
    out.isTTY && process.env.TERM !== "dumb"
      ? {
          get columns() {
            return out.columns ?? 80;
          },
          write: (text) => void out.write(text),
        }
      : null,
  signal: interrupt.signal,

  // The same use cases as the server's, over this machine's backends (src/ops/cli/local-plane.ts).
  controlPlane: async (settings, log, backends) => (await import("./local-plane.ts")).localControlPlane(settings, log, backends),
  async serve(settings, mode) {
    const [{ createOpenJules }, { stopOnSignals }] = await Promise.all([root(), import("../../composition/signals.ts")]);
    const jules = await createOpenJules(settings);
    stopOnSignals(jules);
    await jules.start(mode);
  },
});
