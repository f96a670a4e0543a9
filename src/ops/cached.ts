/**
 * Reuses the result of an async read for a while: concurrent callers share
 * one in-flight call, a success is kept for `ttlMs`, a failure is not kept
 * (the next caller tries again). Used so frequent scrapes do not hammer the
 * task store.
 */
export function cached<T>(read: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let value: { at: number; data: T } | null = null;
  let inflight: Promise<T> | null = null;
  return () => {
    if (value && now() - value.at < ttlMs) return Promise.resolve(value.data);
    inflight ??= read().then(
      (data) => {
        value = { at: now(), data };
        inflight = null;
        return data;
      },
      (error: unknown) => {
        inflight = null;
        throw error;
      },
    );
    return inflight;
  };
}
