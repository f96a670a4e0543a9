/**
 * A runner whose every command can be ended at once: each run's signal also
 * listens to one process-wide controller, so `abortAll` kills every sandboxed
 * command in flight (their process groups get SIGKILL, see process.ts) even
 * when a caller passed no signal of its own. `idle` resolves once none runs.
 */
import type { SandboxRunner } from "./runner.ts";

export interface StoppableRunner {
  runner: SandboxRunner;
  readonly running: number;
  abortAll(reason: string): void;
  idle(): Promise<void>;
}

export function stoppableRunner(inner: SandboxRunner): StoppableRunner {
  const controller = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  return {
    runner: {
      mode: inner.mode,
      run(command, options) {
        if (controller.signal.aborted) return Promise.reject(new Error(`Not started: ${String(controller.signal.reason?.message ?? "the process is stopping")}`));
        const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
        const run = inner.run(command, { ...options, signal });
        inFlight.add(run);
        void run.then(
          () => inFlight.delete(run),
          () => inFlight.delete(run),
        );
        return run;
      },
    },
    get running() {
      return inFlight.size;
    },
    abortAll(reason) {
      controller.abort(new Error(reason));
    },
    async idle() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
