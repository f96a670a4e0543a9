import { pino, type Logger } from "pino";
import type { Settings } from "./settings.ts";

/**
 * The process logger: structured JSON (or pretty for local development),
 * with secrets redacted by path so a token or key never reaches a log line.
 */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "privateKey",
  "*.privateKey",
  "apiKey",
  "*.apiKey",
  "webhookSecret",
  "*.webhookSecret",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
];

export function createLogger(settings: Pick<Settings, "log">): Logger {
  return pino({
    name: "openjules",
    level: settings.log.level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    ...(settings.log.format === "pretty" ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}
