/**
 * Numbers as people read them in a comment: durations ("2m 05s"), counts
 * with thousands separators ("12,345"), and dollar costs ("$0.0123"). Fixed
 * formats, independent of the server's locale.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** "0s", "45s", "2m 05s", "1h 02m", "3d 04h"; negative or invalid input counts as 0. */
export function formatDuration(ms: number): string {
  const seconds = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** "12,345"; negative or invalid input counts as 0. */
export function formatCount(n: number): string {
  const whole = Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "$0.0123" below one dollar, "$1.23" from one dollar on. */
export function formatCost(usd: number): string {
  const value = Number.isFinite(usd) && usd > 0 ? usd : 0;
  if (value < 1) return `$${value.toFixed(4)}`;
  const [whole = "0", cents = "00"] = value.toFixed(2).split(".");
  return `$${formatCount(Number(whole))}.${cents}`;
}

/** Milliseconds between two instants given as ISO strings or dates; 0 when either is invalid or the order is reversed. */
export function elapsedMs(from: string | Date, to: string | Date): number {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
