/**
 * Lets idle() sleep until something may have changed (a job settled or was
 * enqueued in this process) instead of spinning; a timeout covers changes made
 * by other processes, which this one only sees by looking again.
 */

type Waiter = { resolve: () => void; reject: (error: Error) => void };

export class ChangeSignal {
  readonly #waiters = new Set<Waiter>();

  /** Resolves at the next notify() or after `timeoutMs`; rejects on fail(). */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => waiter.resolve(), timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        resolve: () => (settle(), resolve()),
        reject: (error) => (settle(), reject(error)),
      };
      this.#waiters.add(waiter);
    });
  }

  notify(): void {
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  fail(error: Error): void {
    for (const waiter of [...this.#waiters]) waiter.reject(error);
  }
}
