import { pino, type Logger } from "pino";
import type { Logger as DomainLogger } from "./domain/logger.ts";
import { redactSecrets } from "./security/redact.ts";
import type { Settings } from "./settings.ts";

/**
 * The process logger: structured JSON (or pretty for local development),
 * with secrets redacted by path so a token or key never reaches a log line,
 * and every written line redacted by value: the process's own secrets
 * (settings.secrets) and known token shapes, wherever they sit (an error
 * message, a URL).
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

export function createLogger(settings: Pick<Settings, "log" | "secrets">): Logger {
  const secrets = jsonForms(settings.secrets);
  return pino({
    name: "openjules",
    level: settings.log.level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
    ...(settings.log.format === "pretty" ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}

/** The values as they appear inside a JSON string (a PEM's newlines as `\\n`, quotes escaped), and as they are. */
function jsonForms(secrets: readonly string[]): string[] {
  return [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
}

/** The fallback of a store or queue opened without a logger: stderr, each line naming its component. */
export function consoleLogger(component: string): DomainLogger {
  const prefix = `[openjules ${component}]`;
  return {
    info: (details, message) => console.info(`${prefix} ${message}`, details),
    warn: (details, message) => console.warn(`${prefix} ${message}`, details),
    error: (details, message) => console.error(`${prefix} ${message}`, details),
  };
}
