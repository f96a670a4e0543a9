/** Times as the pages show them. Pure. */
import { formatDuration } from "../../src/render/format.ts";

/** "just now", "5m ago", "3h ago", "2d ago" from an ISO time to `now`. */
export function age(iso: string, now: number): string {
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms) || ms < 45_000) return "just now";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.round(hours / 24)}d ago`;
}

/** The time a task has run: to now while it is live, to its last change once it ended. */
export function elapsed(createdAt: string, updatedAt: string, live: boolean, now: number): string {
  const end = live ? now : new Date(updatedAt).getTime();
  return formatDuration(end - new Date(createdAt).getTime());
}

/** A date and time in the reader's locale. */
export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
