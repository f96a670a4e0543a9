import type { OpenJules } from "./open-jules.ts";

/**
 * SIGTERM and SIGINT drain the process (the composition root's `stop()`)
 * and exit with its code: 0 when everything closed in time, 1 when something
 * was still open at the deadline (logged by name). A second signal while
 * draining changes nothing.
 */
export function stopOnSignals(jules: Pick<OpenJules, "stop" | "log" | "settings">, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      jules.log.info({ signal, graceMs: jules.settings.ops.shutdownGraceMs }, "draining: no new webhooks; running jobs finish or are handed back");
      void jules.stop().then(exit);
    });
  }
}
