import type { Actor } from "./events.ts";

/**
 * Who the app listens to, decided before anything is queued: never itself
 * (even when its own comment quotes a command: no loops), and bots only when
 * the operator allowlisted their app (JULES_ALLOWED_BOTS, by slug or login).
 */
export interface GateOptions {
  appId: number;
  /** The app's slug, when known; its bot user is `<slug>[bot]`. */
  appSlug: string | null;
  allowedBots: readonly string[];
}

export type GateVerdict = { pass: true } | { pass: false; reason: string };

export function gateActor(actor: Actor, options: GateOptions): GateVerdict {
  const ownLogin = options.appSlug ? `${options.appSlug}[bot]` : null;
  if (actor.appId === options.appId || (ownLogin !== null && actor.login.toLowerCase() === ownLogin.toLowerCase())) {
    return { pass: false, reason: "own comment" };
  }
  const isBot = actor.type === "Bot" || actor.appId !== null || actor.login.endsWith("[bot]");
  if (!isBot) return { pass: true };
  const names = [actor.login, actor.login.replace(/\[bot\]$/, ""), actor.appSlug ?? ""].map((n) => n.toLowerCase());
  const allowed = options.allowedBots.some((b) => names.includes(b.toLowerCase()));
  return allowed ? { pass: true } : { pass: false, reason: `bot ${actor.login} is not in JULES_ALLOWED_BOTS` };
}
