/**
 * The AccountStore on SQLite (web sessions, users' provider keys, spoken
 * summaries), on the task store's own connection and statement cache (so it
 * is closed with the store). Each method is one statement; what is written is
 * checked and normalized by ../account-rows.ts, as on PostgreSQL.
 */
import type { StatementSync } from "node:sqlite";
import {
  checkProvider,
  checkRepositories,
  checkSession,
  checkSummary,
  checkUserKey,
  isoTime,
  normalLogin,
  rowToSession,
  rowToSummary,
  rowToUserKey,
  hexSha256,
  sha256Hex,
} from "../account-rows.ts";
import { TaskNotFoundError } from "../errors.ts";
import type { AccountStore, SpokenSummary, UserKey, WebSession } from "../port.ts";

type Statement = (sql: string) => StatementSync;
type Row = Record<string, unknown>;

const INSERT_SESSION = `INSERT INTO web_sessions (id, login, user_id, csrf_token, github_token, repositories, repositories_at, created_at, expires_at, revoked_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const PUT_KEY = `INSERT INTO user_keys (login, provider, sealed, last4, created_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (login, provider) DO UPDATE SET sealed = excluded.sealed, last4 = excluded.last4, created_at = excluded.created_at`;
/** Writes nothing when the task does not exist (the caller then throws TaskNotFoundError). */
const PUT_SUMMARY = `INSERT INTO spoken_summaries (task_id, text_hash, text, audio, engine, created_at)
  SELECT id, ?, ?, ?, ?, ? FROM tasks WHERE id = ?
  ON CONFLICT (task_id) DO UPDATE SET text_hash = excluded.text_hash, text = excluded.text, audio = excluded.audio, engine = excluded.engine, created_at = excluded.created_at`;

export class SqliteAccountStore implements AccountStore {
  readonly #stmt: Statement;

  /** `stmt` prepares (and caches) a statement on the store's connection; it throws once the store is closed. */
  constructor(stmt: Statement) {
    this.#stmt = stmt;
  }

  async createSession(session: WebSession): Promise<void> {
    const s = checkSession(session);
    const values = [s.id, s.login, s.userId, s.csrfToken, s.githubToken, JSON.stringify(s.repositories), s.repositoriesAt, s.createdAt, s.expiresAt, s.revokedAt];
    if (Number(this.#stmt(INSERT_SESSION).run(...values).changes) === 0) throw new Error("A web session with this id already exists.");
  }

  async findSession(id: string): Promise<WebSession | null> {
    const key = hexSha256(id);
    const row = key === null ? undefined : (this.#stmt("SELECT * FROM web_sessions WHERE id = ?").get(key) as Row | undefined);
    return row ? rowToSession(row) : null;
  }

  async updateSessionRepositories(id: string, repositories: string[], at: string): Promise<void> {
    this.#stmt("UPDATE web_sessions SET repositories = ?, repositories_at = ? WHERE id = ?").run(
      JSON.stringify(checkRepositories(repositories)),
      isoTime("at", at),
      sha256Hex("session id", id),
    );
  }

  async revokeSession(id: string, at: string): Promise<void> {
    this.#stmt("UPDATE web_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(isoTime("at", at), sha256Hex("session id", id));
  }

  async pruneSessions(before: string): Promise<number> {
    const t = isoTime("before", before);
    return Number(this.#stmt("DELETE FROM web_sessions WHERE expires_at < ? OR revoked_at < ?").run(t, t).changes);
  }

  async putUserKey(key: UserKey): Promise<void> {
    const k = checkUserKey(key);
    this.#stmt(PUT_KEY).run(k.login, k.provider, k.sealed, k.last4, k.createdAt);
  }

  async listUserKeys(login: string): Promise<UserKey[]> {
    const rows = this.#stmt("SELECT * FROM user_keys WHERE login = ? ORDER BY created_at DESC, provider").all(normalLogin(login)) as Row[];
    return rows.map(rowToUserKey);
  }

  async getUserKey(login: string, provider: UserKey["provider"]): Promise<UserKey | null> {
    const row = this.#stmt("SELECT * FROM user_keys WHERE login = ? AND provider = ?").get(normalLogin(login), checkProvider(provider)) as Row | undefined;
    return row ? rowToUserKey(row) : null;
  }

  async deleteUserKey(login: string, provider: UserKey["provider"]): Promise<boolean> {
    return Number(this.#stmt("DELETE FROM user_keys WHERE login = ? AND provider = ?").run(normalLogin(login), checkProvider(provider)).changes) > 0;
  }

  async putSummary(summary: SpokenSummary): Promise<void> {
    const s = checkSummary(summary);
    const changes = this.#stmt(PUT_SUMMARY).run(s.textHash, s.text, s.audio, s.engine, s.createdAt, s.taskId).changes;
    if (Number(changes) === 0) throw new TaskNotFoundError(s.taskId);
  }

  async getSummary(taskId: string): Promise<SpokenSummary | null> {
    const row = this.#stmt("SELECT * FROM spoken_summaries WHERE task_id = ?").get(taskId) as Row | undefined;
    return row ? rowToSummary(row) : null;
  }
}
