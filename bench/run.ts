/**
 * `npm run bench`: runs every benchmark in turn and prints its lines. A
 * benchmark that fails prints its error and the others still run; the exit
 * code is 1 if any failed. Each benchmark is loaded only when its turn comes,
 * so one that cannot even load does not stop the rest. If something a
 * benchmark started is still holding the process open at the end, a
 * watchdog names that and exits.
 */

type Bench = { title: string; run: () => Promise<string[]> };

const benches: Bench[] = [
  { title: "Webhook acknowledgement and memory", run: async () => (await import("./webhook-ack.ts")).benchWebhookAck() },
  { title: "Idle memory per mode", run: async () => (await import("./idle-rss.ts")).benchIdleRss() },
  { title: "Agent", run: async () => (await import("./agent.ts")).benchAgent() },
  { title: "Prompt size", run: async () => (await import("./prompt-size.ts")).benchPromptSize() },
  { title: "Hostile 65 KB comments: command parser and sanitizer", run: async () => (await import("./hostile-text.ts")).benchHostileText() },
  { title: "Workspace preparation", run: async () => (await import("./workspace.ts")).benchWorkspace() },
  { title: "Environment: setup cold vs from a snapshot (real npm project, registry.npmjs.org)", run: async () => (await import("./environment.ts")).benchEnvironment() },
  { title: "Webhook acknowledgement on PostgreSQL and Redis", run: async () => (await import("./throughput.ts")).benchAckBackends() },
  { title: "Scale-out throughput", run: async () => (await import("./throughput.ts")).benchThroughput() },
];

let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench.title}`);
  const started = performance.now();
  try {
    for (const line of await bench.run()) console.log(line);
  } catch (error) {
    failed++;
    console.log(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exitCode = failed > 0 ? 1 : 0;

const watchdog = setTimeout(() => {
  const open = process.getActiveResourcesInfo().filter((r) => r !== "Timeout");
  console.error(`bench: a benchmark left resources open (${open.join(", ") || "unknown"}); exiting anyway.`);
  process.exit(process.exitCode);
}, 10_000);
watchdog.unref();
