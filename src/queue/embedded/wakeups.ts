/**
 * In-process wake-ups: when a job is enqueued, every started queue in this
 * process that uses the same database file is told at once, instead of
 * finding the job at its next poll. Other processes still find it by polling.
 */

const listeners = new Map<string, Set<() => void>>();

/** Registers `wake` for the file `key`; returns the function that unregisters it. */
export function onEnqueue(key: string, wake: () => void): () => void {
  let set = listeners.get(key);
  if (!set) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
  };
}

export function announceEnqueue(key: string): void {
  for (const wake of listeners.get(key) ?? []) wake();
}
