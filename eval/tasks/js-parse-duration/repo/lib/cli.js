import { parseDuration } from "./duration.js";

/**
 * The options of `deploy`: `--timeout <duration>` (default 10m) and `--dry-run`.
 * @param {string[]} argv
 */
export function parseOptions(argv) {
  const options = { timeoutMs: parseDuration("10m"), dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--timeout") options.timeoutMs = parseDuration(argv[++i] ?? "");
    else if (argv[i] === "--dry-run") options.dryRun = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}
