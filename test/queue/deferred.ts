/**
 * Promise plumbing for queue tests: a promise resolved from outside, and a
 * counter that resolves when it reaches a target. Tests wait on events the
 * handlers signal, never on wall-clock sleeps.
 */

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves `reached` once `hit()` was called `target` times. */
export function countdown(target: number): { hit(): void; reached: Promise<void>; readonly count: number } {
  const done = deferred();
  let count = 0;
  if (target <= 0) done.resolve();
  return {
    hit() {
      count += 1;
      if (count === target) done.resolve();
    },
    reached: done.promise,
    get count() {
      return count;
    },
  };
}

/** Resolves when the signal aborts. */
export const aborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
