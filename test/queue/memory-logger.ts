/**
 * A QueueLogger that keeps entries in memory, so tests stay quiet and can
 * assert on what the queue reported.
 */
import type { QueueLogger } from "../../src/queue/embedded/index.ts";

export interface LogEntry {
  level: "warn" | "error";
  message: string;
  details: Record<string, unknown>;
}

export function memoryLogger(): QueueLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    warn: (details, message) => void entries.push({ level: "warn", message, details }),
    error: (details, message) => void entries.push({ level: "error", message, details }),
  };
}
