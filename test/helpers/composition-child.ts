/**
 * A process built by the composition root, for test/composition: records
 * every module it loads (a module-load hook installed before the root is
 * imported), starts the mode given as argv[2] with the settings of its
 * environment, prints one JSON line with the loaded module URLs and the
 * port, then stops and prints the exit code stop() resolved with. It never
 * calls process.exit: when stop() released everything, it exits by itself.
 */
import { registerHooks } from "node:module";

const loaded = new Set<string>();
registerHooks({
  load(url, context, next) {
    loaded.add(url);
    return next(url, context);
  },
});

const mode = process.argv[2] as "all" | "web" | "worker";
const { createOpenJules } = await import("../../src/composition/open-jules.ts");
const { loadSettings } = await import("../../src/settings.ts");
const jules = await createOpenJules(loadSettings(process.env));
await jules.start(mode);
process.stdout.write(`${JSON.stringify({ loaded: [...loaded], port: jules.port })}\n`);
const code = await jules.stop();
process.stdout.write(`${JSON.stringify({ stopped: code })}\n`);
