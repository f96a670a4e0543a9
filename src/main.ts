import { existsSync } from "node:fs";
import { settingsOrFirstRun } from "./composition/first-run.ts";
import { MODES, createOpenJules, type Mode } from "./composition/open-jules.ts";
import { stopOnSignals } from "./composition/signals.ts";
import { SettingsError } from "./settings.ts";

/**
 * Process entry: `node src/main.ts` runs the web server and a worker together
 * (the embedded default), `worker` only a worker (operator endpoints on
 * PORT), `web` only the web server. The wiring is the composition root's
 * (src/composition/open-jules.ts); SIGTERM drains (src/composition/signals.ts).
 * `.env` is read when present (variables already set win); without GitHub App
 * credentials at a terminal, the first-run page makes the settings
 * (src/composition/first-run.ts).
 */
if (existsSync(".env")) process.loadEnvFile(".env");
const mode = (process.argv[2] ?? "all") as Mode;
if (!MODES.includes(mode)) {
  console.error(`Unknown mode "${mode}": use web, worker, or nothing for both.`);
  process.exit(1);
}
try {
  const jules = await createOpenJules(await settingsOrFirstRun(mode));
  stopOnSignals(jules);
  await jules.start(mode);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
