/**
 * Personal tokens: `ojp_<id>_<secret>`, the secret 32 random bytes in
 * base64url, so the id (shown by `tokens list`, used by `tokens revoke`) can
 * be read off a token without storing it. Only a sha256 of the whole token is
 * kept: a slow password hash buys nothing against 256 random bits, which no
 * one can guess or brute-force from the digest. Comparison is constant-time.
 *
 * PersonalTokens reads the file lazily and again whenever it changed (inode,
 * size or modification time, checked on each lookup: one stat per request),
 * so `openjules tokens revoke` takes effect on a running server at its next
 * request, with no restart.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { statSync } from "node:fs";
import type { TokenScope } from "../domain/actor.ts";
import { readTokenFile, TOKEN_ID, updateTokenFile, type TokenEntry } from "./token-file.ts";

export const TOKEN_PREFIX = "ojp_";
const TOKEN_SHAPE = /^ojp_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Whether two secrets are equal, in constant time whatever their content and length (both are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The id inside a personal token, or null when the text is not shaped like one. */
export function tokenIdOf(token: string): string | null {
  return TOKEN_SHAPE.exec(token)?.[1] ?? null;
}

/** Whether `token` is the one whose digest is `entry.hash` (constant time). */
export function tokenMatchesEntry(token: string, entry: Pick<TokenEntry, "hash">): boolean {
  return timingSafeEqual(digest(token), Buffer.from(entry.hash, "hex"));
}

export interface NewToken {
  /** Given to the person once; never stored. */
  token: string;
  entry: TokenEntry;
}

/**
 * Adds a token for `login` to the file and returns it (the only time the token exists in clear).
 * `repositories`: owner/name, lower-cased here; null for every repository the app is installed on.
 */
export function addToken(
  path: string,
  request: { login: string; scopes: readonly TokenScope[]; repositories: readonly string[] | null; label?: string | undefined },
  now = new Date(),
): NewToken {
  return updateTokenFile(path, (tokens) => {
    let id: string;
    do id = randomBytes(6).toString("hex");
    while (tokens.some((t) => t.id === id));
    const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString("base64url")}`;
    const entry: TokenEntry = {
      id,
      login: request.login,
      scopes: [...new Set(request.scopes)],
      repositories: request.repositories && [...new Set(request.repositories.map((r) => r.toLowerCase()))],
      hash: digest(token).toString("hex"),
      createdAt: now.toISOString(),
      revokedAt: null,
      lastFour: token.slice(-4),
      ...(request.label ? { label: request.label } : {}),
    };
    return { tokens: [...tokens, entry], result: { token, entry } };
  });
}

/** Marks the token revoked (kept in the file, so a revoked token is told so). Null when no token has this id. */
export function revokeToken(path: string, id: string, now = new Date()): { entry: TokenEntry; already: boolean } | null {
  if (!TOKEN_ID.test(id)) return null;
  return updateTokenFile<{ entry: TokenEntry; already: boolean } | null>(path, (tokens) => {
    const found = tokens.find((t) => t.id === id);
    if (!found) return { tokens: null, result: null };
    if (found.revokedAt !== null) return { tokens: null, result: { entry: found, already: true } };
    const entry = { ...found, revokedAt: now.toISOString() };
    return { tokens: tokens.map((t) => (t.id === id ? entry : t)), result: { entry, already: false } };
  });
}

/** The token file of a running server, re-read when it changes. */
export class PersonalTokens {
  readonly path: string;
  #seen: string | null = null;
  #entries: readonly TokenEntry[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** The current entries; throws TokenFileError when the file is malformed (call once at start-up to fail early). */
  entries(): readonly TokenEntry[] {
    const version = this.#version();
    if (version !== this.#seen) {
      this.#entries = readTokenFile(this.path);
      this.#seen = version;
    }
    return this.#entries;
  }

  /** The entry this token belongs to (revoked ones included), or null. */
  find(token: string): TokenEntry | null {
    const id = tokenIdOf(token);
    const entry = id === null ? undefined : this.entries().find((t) => t.id === id);
    return entry && tokenMatchesEntry(token, entry) ? entry : null;
  }

  #version(): string {
    try {
      const s = statSync(this.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch {
      return "absent"; // readTokenFile answers [] for a missing file and names any other problem
    }
  }
}
