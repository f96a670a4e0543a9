/**
 * The logger every layer takes: details first, then the message, as pino
 * (and so Probot's logger) writes them, which therefore fit it as they are.
 * Adapters log only their own trouble here (a lost lease, a dropped
 * connection), never job or task data.
 */
export interface Logger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
