/**
 * The AccountStore on PostgreSQL (web sessions, users' provider keys, spoken
 * summaries), on the task store's own pool (so it is closed with the store).
 * Each method is one statement; what is written is checked and normalized by
 * ../account-rows.ts, as on SQLite, and its text has NUL replaced (nul.ts).
 */
import type { Pool } from "pg";
import {
  checkProvider,
  checkRepositories,
  checkSession,
  checkSummary,
  checkUserKey,
  hexSha256,
  isoTime,
  normalLogin,
  rowToSession,
  rowToSummary,
  rowToUserKey,
  sha256Hex,
} from "../account-rows.ts";
import { TaskNotFoundError } from "../errors.ts";
import type { AccountStore, SpokenSummary, UserKey, WebSession } from "../port.ts";
import { withoutNul } from "./nul.ts";

type Row = Record<string, unknown>;

const login = (name: string): string => withoutNul(normalLogin(name));

const INSERT_SESSION = `INSERT INTO web_sessions (id, login, user_id, csrf_token, github_token, repositories, repositories_at, created_at, expires_at, revoked_at)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10) ON CONFLICT DO NOTHING`;
const PUT_KEY = `INSERT INTO user_keys (login, provider, sealed, last4, created_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (login, provider) DO UPDATE SET sealed = excluded.sealed, last4 = excluded.last4, created_at = excluded.created_at`;
/** Writes nothing when the task does not exist (the caller then throws TaskNotFoundError). */
const PUT_SUMMARY = `INSERT INTO spoken_summaries (task_id, text_hash, text, audio, engine, created_at)
  SELECT id, $2, $3, $4, $5, $6 FROM tasks WHERE id = $1
  ON CONFLICT (task_id) DO UPDATE SET text_hash = excluded.text_hash, text = excluded.text, audio = excluded.audio, engine = excluded.engine, created_at = excluded.created_at`;

export class PostgresAccountStore implements AccountStore {
  readonly #pool: () => Pool;

  /** `pool` gives the store's pool; it throws once the store is closed. */
  constructor(pool: () => Pool) {
    this.#pool = pool;
  }

  async createSession(session: WebSession): Promise<void> {
    const s = withoutNul(checkSession(session));
    const values = [s.id, s.login, s.userId, s.csrfToken, s.githubToken, JSON.stringify(s.repositories), s.repositoriesAt, s.createdAt, s.expiresAt, s.revokedAt];
    if ((await this.#query(INSERT_SESSION, values)).rowCount === 0) throw new Error("A web session with this id already exists.");
  }

  async findSession(id: string): Promise<WebSession | null> {
    const key = hexSha256(id);
    const row = key === null ? undefined : (await this.#query("SELECT * FROM web_sessions WHERE id = $1", [key])).rows[0];
    return row ? rowToSession(row) : null;
  }

  async updateSessionRepositories(id: string, repositories: string[], at: string): Promise<void> {
    await this.#query("UPDATE web_sessions SET repositories = $2::jsonb, repositories_at = $3 WHERE id = $1", [
      sha256Hex("session id", id),
      JSON.stringify(withoutNul(checkRepositories(repositories))),
      isoTime("at", at),
    ]);
  }

  async revokeSession(id: string, at: string): Promise<void> {
    await this.#query("UPDATE web_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", [sha256Hex("session id", id), isoTime("at", at)]);
  }

  async pruneSessions(before: string): Promise<number> {
    return (await this.#query("DELETE FROM web_sessions WHERE expires_at < $1 OR revoked_at < $1", [isoTime("before", before)])).rowCount ?? 0;
  }

  async putUserKey(key: UserKey): Promise<void> {
    const k = withoutNul(checkUserKey(key));
    await this.#query(PUT_KEY, [k.login, k.provider, k.sealed, k.last4, k.createdAt]);
  }

  async listUserKeys(name: string): Promise<UserKey[]> {
    const { rows } = await this.#query("SELECT * FROM user_keys WHERE login = $1 ORDER BY created_at DESC, provider", [login(name)]);
    return rows.map(rowToUserKey);
  }

  async getUserKey(name: string, provider: UserKey["provider"]): Promise<UserKey | null> {
    const { rows } = await this.#query("SELECT * FROM user_keys WHERE login = $1 AND provider = $2", [login(name), checkProvider(provider)]);
    return rows[0] ? rowToUserKey(rows[0]) : null;
  }

  async deleteUserKey(name: string, provider: UserKey["provider"]): Promise<boolean> {
    const { rowCount } = await this.#query("DELETE FROM user_keys WHERE login = $1 AND provider = $2", [login(name), checkProvider(provider)]);
    return (rowCount ?? 0) > 0;
  }

  async putSummary(summary: SpokenSummary): Promise<void> {
    const s = checkSummary(summary);
    const audio = s.audio === null ? null : Buffer.from(s.audio.buffer, s.audio.byteOffset, s.audio.byteLength);
    const taskId = withoutNul(s.taskId);
    const { rowCount } = await this.#query(PUT_SUMMARY, [taskId, s.textHash, withoutNul(s.text), audio, s.engine === null ? null : withoutNul(s.engine), s.createdAt]);
    if (rowCount === 0) throw new TaskNotFoundError(s.taskId);
  }

  async getSummary(taskId: string): Promise<SpokenSummary | null> {
    const { rows } = await this.#query("SELECT * FROM spoken_summaries WHERE task_id = $1", [withoutNul(taskId)]);
    return rows[0] ? rowToSummary(rows[0]) : null;
  }

  #query(sql: string, values: unknown[]) {
    return this.#pool().query<Row>(sql, values);
  }
}
