/**
 * A Logger that keeps entries in memory, so tests stay quiet and can
 * assert on what the queue reported.
 */
import type { Logger } from "../../src/domain/logger.ts";

export interface LogEntry {
  level: "info" | "warn" | "error";
  message: string;
  details: Record<string, unknown>;
}

export function memoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (details, message) => void entries.push({ level: "info", message, details }),
    warn: (details, message) => void entries.push({ level: "warn", message, details }),
    error: (details, message) => void entries.push({ level: "error", message, details }),
  };
}
