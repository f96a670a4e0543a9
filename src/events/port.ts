/**
 * Live notice of new events in a task's log, across processes. The store is
 * the record (every event is written there first, with an increasing id);
 * the feed only says "task X has something new", and readers read the store
 * after the last id they saw. So a missed notice costs latency, never an
 * event. Implementations: in-process (embedded SQLite: one process),
 * Redis pub/sub (REDIS_URL set), and polling the store (PostgreSQL without
 * Redis).
 */
export interface EventFeed {
  /** Tell every subscriber of the task (in every process) that its log grew. */
  notify(taskId: string): Promise<void>;
  /** Calls `onNotice` whenever the task's log may have grown; returns the unsubscribe function. */
  subscribe(taskId: string, onNotice: () => void): () => void;
  close(): Promise<void>;
}
