/**
 * The CiFixStore on SQLite, on the task store's own connection and statement
 * cache (closed with the store). Each method is one statement: SQLite runs
 * writes one at a time, so the attempt claim (a count and an update in one
 * UPDATE) holds across processes sharing the file. Checks and row mapping are
 * shared with PostgreSQL (../ci-fix-rows.ts).
 */
import type { StatementSync } from "node:sqlite";
import { checkChecks, checkCommentId, checkKey, checkPull, patchColumns, rowToCiFix } from "../ci-fix-rows.ts";
import type { CiFixCheck, CiFixKey, CiFixPatch, CiFixRecord, CiFixStore } from "../port.ts";

type Statement = (sql: string) => StatementSync;
type Row = Record<string, unknown>;

const KEY = "owner = ? AND repo = ? AND pull_request_number = ? AND head_sha = ?";
const PULL = "owner = ? AND repo = ? AND pull_request_number = ?";
const INSERT = `INSERT INTO ci_fixes (owner, repo, pull_request_number, head_sha, decision, checks, created_at, updated_at)
  VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`;
const CLAIM = `UPDATE ci_fixes SET decision = 'started', automatic = 1, reason = NULL, detail = NULL, updated_at = ?
  WHERE ${KEY} AND decision = 'pending' AND (SELECT COUNT(*) FROM ci_fixes WHERE ${PULL} AND automatic = 1) < ? RETURNING *`;
const PUT_COMMENT = `INSERT INTO ci_fix_comments (owner, repo, pull_request_number, comment_id) VALUES (?, ?, ?, ?)
  ON CONFLICT (owner, repo, pull_request_number) DO UPDATE SET comment_id = excluded.comment_id`;

const keyValues = (k: CiFixKey) => [k.owner, k.repo, k.pullRequestNumber, k.headSha] as const;

export class SqliteCiFixStore implements CiFixStore {
  readonly #stmt: Statement;

  /** `stmt` prepares (and caches) a statement on the store's connection; it throws once the store is closed. */
  constructor(stmt: Statement) {
    this.#stmt = stmt;
  }

  async record(key: CiFixKey, checks: CiFixCheck[]): Promise<{ created: boolean; record: CiFixRecord }> {
    const k = checkKey(key);
    const now = new Date().toISOString();
    const inserted = this.#stmt(INSERT).get(...keyValues(k), JSON.stringify(checkChecks(checks)), now, now) as Row | undefined;
    if (inserted) return { created: true, record: rowToCiFix(inserted) };
    return { created: false, record: (await this.get(k))! };
  }

  async claimAttempt(key: CiFixKey, max: number): Promise<CiFixRecord | null> {
    const k = checkKey(key);
    const claimed = this.#stmt(CLAIM).get(new Date().toISOString(), ...keyValues(k), k.owner, k.repo, k.pullRequestNumber, max) as Row | undefined;
    if (claimed) return rowToCiFix(claimed);
    const current = await this.get(k);
    return current?.decision === "started" && current.automatic ? current : null;
  }

  async update(key: CiFixKey, patch: CiFixPatch): Promise<CiFixRecord> {
    const k = checkKey(key);
    const { columns, values } = patchColumns(patch);
    const sets = [...columns.map((c) => `${c} = ?`), "updated_at = ?"].join(", ");
    const row = this.#stmt(`UPDATE ci_fixes SET ${sets} WHERE ${KEY} RETURNING *`).get(...values, new Date().toISOString(), ...keyValues(k)) as Row | undefined;
    if (!row) throw new Error(`No CI fix record for ${k.owner}/${k.repo}#${k.pullRequestNumber} at ${k.headSha}.`);
    return rowToCiFix(row);
  }

  async get(key: CiFixKey): Promise<CiFixRecord | null> {
    const row = this.#stmt(`SELECT * FROM ci_fixes WHERE ${KEY}`).get(...keyValues(checkKey(key))) as Row | undefined;
    return row ? rowToCiFix(row) : null;
  }

  async list(owner: string, repo: string, pullRequestNumber: number): Promise<CiFixRecord[]> {
    const rows = this.#stmt(`SELECT * FROM ci_fixes WHERE ${PULL} ORDER BY seq`).all(...checkPull(owner, repo, pullRequestNumber)) as Row[];
    return rows.map(rowToCiFix);
  }

  async findByTask(taskId: string): Promise<CiFixRecord | null> {
    const row = this.#stmt("SELECT * FROM ci_fixes WHERE task_id = ? ORDER BY seq DESC LIMIT 1").get(taskId) as Row | undefined;
    return row ? rowToCiFix(row) : null;
  }

  async statusComment(owner: string, repo: string, pullRequestNumber: number): Promise<number | null> {
    const row = this.#stmt(`SELECT comment_id FROM ci_fix_comments WHERE ${PULL}`).get(...checkPull(owner, repo, pullRequestNumber)) as Row | undefined;
    return row ? Number(row.comment_id) : null;
  }

  async setStatusComment(owner: string, repo: string, pullRequestNumber: number, commentId: number): Promise<void> {
    this.#stmt(PUT_COMMENT).run(...checkPull(owner, repo, pullRequestNumber), checkCommentId(commentId));
  }
}
