/**
 * What both backends share for the AccountStore (port.ts): the checks of what
 * is written (so SQLite and PostgreSQL refuse the same bad input with the same
 * messages), the normal form it is stored in (logins and repositories lower
 * case, times as ISO 8601 with milliseconds in UTC, hashes lower-case hex),
 * and the mapping of rows back to WebSession, UserKey and SpokenSummary.
 */
import { wellFormedText } from "./log.ts";
import type { SpokenSummary, UserKey, WebSession } from "./port.ts";

type Row = Record<string, unknown>;

export const USER_KEY_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const satisfies readonly UserKey["provider"][];

const SHA256_HEX = /^[0-9a-f]{64}$/;
const REPOSITORY = /^[^/\s]+\/[^/\s]+$/;

function text(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${name} must be a non-empty string.`);
  return value;
}

/** A GitHub login as stored and compared: lower case (GitHub logins are case-insensitive). */
export function normalLogin(login: unknown): string {
  const value = text("login", login);
  if (/\s/.test(value)) throw new TypeError(`login must not contain spaces, got ${JSON.stringify(value)}.`);
  return value.toLowerCase();
}

/** `value` as a lower-case hex SHA-256, or null when it is not one (a lookup by such an id finds nothing). */
export function hexSha256(value: unknown): string | null {
  const hex = typeof value === "string" ? value.toLowerCase() : "";
  return SHA256_HEX.test(hex) ? hex : null;
}

/** A hex SHA-256 (a session id, a summary's text hash), lower case; throws for anything else. */
export function sha256Hex(name: string, value: unknown): string {
  const hex = hexSha256(value);
  if (hex === null) throw new TypeError(`${name} must be a hex SHA-256 (64 hex digits).`);
  return hex;
}

/** A time as both backends store and return it: ISO 8601 in UTC with milliseconds. */
export function isoTime(name: string, value: unknown): string {
  const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new TypeError(`${name} must be an ISO 8601 time, got ${JSON.stringify(value)}.`);
  return new Date(time).toISOString();
}

export function checkRepositories(repositories: unknown): string[] {
  if (!Array.isArray(repositories)) throw new TypeError("repositories must be a list of owner/name.");
  return repositories.map((r) => {
    if (typeof r !== "string" || !REPOSITORY.test(r)) throw new TypeError(`repositories must be owner/name, got ${JSON.stringify(r)}.`);
    return r.toLowerCase();
  });
}

export function checkProvider(provider: unknown): UserKey["provider"] {
  if (!USER_KEY_PROVIDERS.includes(provider as UserKey["provider"])) {
    throw new TypeError(`provider must be one of ${USER_KEY_PROVIDERS.join(", ")}, got ${JSON.stringify(provider)}.`);
  }
  return provider as UserKey["provider"];
}

/** The session in its stored form; throws TypeError for a field that is not what WebSession says. */
export function checkSession(s: WebSession): WebSession {
  if (!Number.isSafeInteger(s.userId) || s.userId <= 0) throw new TypeError(`userId must be a positive integer, got ${JSON.stringify(s.userId)}.`);
  return {
    id: sha256Hex("session id", s.id),
    login: normalLogin(s.login),
    userId: s.userId,
    csrfToken: text("csrfToken", s.csrfToken),
    githubToken: text("githubToken", s.githubToken),
    repositories: checkRepositories(s.repositories),
    repositoriesAt: isoTime("repositoriesAt", s.repositoriesAt),
    createdAt: isoTime("createdAt", s.createdAt),
    expiresAt: isoTime("expiresAt", s.expiresAt),
    revokedAt: s.revokedAt === null ? null : isoTime("revokedAt", s.revokedAt),
  };
}

export function checkUserKey(k: UserKey): UserKey {
  const last4 = text("last4", k.last4);
  if (last4.length > 4) throw new TypeError("last4 must be at most 4 characters (the end of the key, never more of it).");
  return { login: normalLogin(k.login), provider: checkProvider(k.provider), sealed: text("sealed", k.sealed), last4, createdAt: isoTime("createdAt", k.createdAt) };
}

/** The summary in its stored form (text cut inside a character gets U+FFFD, as the event log's text does). */
export function checkSummary(s: SpokenSummary): SpokenSummary {
  if (typeof s.text !== "string") throw new TypeError("text must be a string.");
  if (s.audio !== null && !(s.audio instanceof Uint8Array)) throw new TypeError("audio must be bytes (a Uint8Array) or null.");
  if (s.engine !== null) text("engine", s.engine);
  return {
    taskId: text("taskId", s.taskId),
    textHash: sha256Hex("textHash", s.textHash),
    text: wellFormedText(s.text),
    audio: s.audio,
    engine: s.engine,
    createdAt: isoTime("createdAt", s.createdAt),
  };
}

const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function rowToSession(row: Row): WebSession {
  return {
    id: String(row.id),
    login: String(row.login),
    userId: Number(row.user_id),
    csrfToken: String(row.csrf_token),
    githubToken: String(row.github_token),
    repositories: JSON.parse(String(row.repositories)) as string[],
    repositoriesAt: String(row.repositories_at),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    revokedAt: nullableText(row.revoked_at),
  };
}

export function rowToUserKey(row: Row): UserKey {
  return { login: String(row.login), provider: row.provider as UserKey["provider"], sealed: String(row.sealed), last4: String(row.last4), createdAt: String(row.created_at) };
}

/** Audio comes back as a plain Uint8Array on both backends (pg gives a Buffer, node:sqlite a Uint8Array). */
export function rowToSummary(row: Row): SpokenSummary {
  const audio = row.audio as Uint8Array | null;
  return {
    taskId: String(row.task_id),
    textHash: String(row.text_hash),
    text: String(row.text),
    audio: audio === null ? null : new Uint8Array(audio),
    engine: nullableText(row.engine),
    createdAt: String(row.created_at),
  };
}
