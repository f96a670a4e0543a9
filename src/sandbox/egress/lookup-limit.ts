/**
 * Name lookups of the egress proxies, at most `max` at a time in the whole
 * process. Node's dns.lookup (getaddrinfo, which honours /etc/hosts and
 * nsswitch like every other program here) runs on libuv's shared thread pool
 * of four threads, which the app's file I/O, zlib and crypto use too: a
 * setup opening many connections to names whose DNS answers slowly would
 * otherwise hold all four threads and stall the app. Queued lookups wait in
 * order; a lookup counts as running until getaddrinfo really returns.
 */
export function limitConcurrency<A extends unknown[], T>(fn: (...args: A) => Promise<T>, max: number): (...args: A) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (...args: A) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn(...args);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** Two of libuv's four pool threads at most, whatever number of setups run at once. */
export const EGRESS_LOOKUPS_AT_ONCE = 2;
