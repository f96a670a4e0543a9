import { exists, parseJsonc, read, type Candidate } from "./files.ts";

/**
 * deno.json / deno.jsonc: `deno task test` when it defines a `test` task,
 * else `deno test`. Setup is `deno install` (Deno 2: caches every dependency
 * the configuration and lockfile name into DENO_DIR under HOME, with
 * network), so the tests run offline.
 */
export async function deno(dir: string): Promise<(Candidate & { hasTestTask: boolean }) | null> {
  for (const name of ["deno.json", "deno.jsonc"]) {
    const text = await read(dir, name);
    if (text === null) continue;
    const config = parseJsonc(text) as { tasks?: Record<string, unknown> } | null;
    if (config === null || typeof config !== "object") continue;
    const hasTestTask = config.tasks !== undefined && typeof config.tasks === "object" && config.tasks !== null && "test" in config.tasks;
    const lock = (await exists(dir, "deno.lock")) ? " and deno.lock" : "";
    return {
      family: "deno",
      setup: "deno install",
      test: hasTestTask ? "deno task test" : "deno test",
      reason: hasTestTask ? `found a \`test\` task in ${name}${lock}` : `found ${name}${lock} (no \`test\` task: \`deno test\` runs its test files)`,
      hasTestTask,
    };
  }
  return null;
}
