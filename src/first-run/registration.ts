import { randomBytes } from "node:crypto";
import type { RegisteredApp } from "./conversion.ts";
import { sameText } from "./http.ts";

/**
 * The one App registration a first-run server allows at a time: begun by a
 * browser (a random `state` for GitHub to send back, kept 15 minutes),
 * claimed once by GitHub's redirect to that same browser with that state
 * (no second claim while the code is converted), then registered (the App
 * and the browser that may finish the set-up) or given up, after which a new
 * one may begin. Another browser cannot begin one while one is under way.
 */

const PENDING_MS = 15 * 60_000;

interface Pending {
  state: string;
  browser: string;
  expiresAt: number;
  converting: boolean;
}

export type Claim = "claimed" | "unknown" | "other-browser" | "converting";

export class OneRegistration {
  #pending: Pending | null = null;
  #registered: { browser: string; app: RegisteredApp } | null = null;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get registered(): { browser: string; app: RegisteredApp } | null {
    return this.#registered;
  }

  /** A new state for this browser (replacing its own earlier one), or null while another browser's is under way. */
  begin(browser: string): string | null {
    const p = this.#pending;
    if (this.#registered || (p && p.expiresAt > this.#now() && (p.browser !== browser || p.converting))) return null;
    this.#pending = { state: randomBytes(24).toString("base64url"), browser, expiresAt: this.#now() + PENDING_MS, converting: false };
    return this.#pending.state;
  }

  /** GitHub's redirect: the pending state, unexpired, in the browser that began it, not already being converted. */
  claim(state: string, browser: string | null): Claim {
    const p = this.#pending;
    if (!p || !sameText(state, p.state) || p.expiresAt <= this.#now()) return "unknown";
    if (browser !== p.browser) return "other-browser";
    if (p.converting) return "converting";
    p.converting = true;
    return "claimed";
  }

  /** The claimed registration ended: with the App (the state is used up), or not (a new one may begin). */
  settle(app: RegisteredApp | null): void {
    const p = this.#pending;
    this.#pending = null;
    if (app && p) this.#registered = { browser: p.browser, app };
  }
}
