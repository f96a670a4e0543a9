/**
 * The CiFixStore on PostgreSQL, on the task store's own pool (closed with the
 * store). The attempt claim locks the pull request's records (SELECT ... FOR
 * UPDATE) before it counts and updates, so two workers deciding on two
 * failing commits of one pull request at once cannot both take the last
 * attempt. Times come from the database clock. Checks and row mapping are
 * shared with SQLite (../ci-fix-rows.ts); text has NUL replaced (nul.ts).
 */
import type { Pool } from "pg";
import { checkChecks, checkCommentId, checkKey, checkPull, patchColumns, rowToCiFix } from "../ci-fix-rows.ts";
import type { CiFixCheck, CiFixKey, CiFixPatch, CiFixRecord, CiFixStore } from "../port.ts";
import { inTransaction } from "./connection.ts";
import { withoutNul } from "./nul.ts";

type Row = Record<string, unknown>;

const KEY = "owner = $1 AND repo = $2 AND pull_request_number = $3 AND head_sha = $4";
const PULL = "owner = $1 AND repo = $2 AND pull_request_number = $3";
const INSERT = `INSERT INTO ci_fixes (owner, repo, pull_request_number, head_sha, decision, checks, created_at, updated_at)
  VALUES ($1, $2, $3, $4, 'pending', $5::jsonb, now(), now()) ON CONFLICT DO NOTHING RETURNING *`;
const CLAIM = `UPDATE ci_fixes SET decision = 'started', automatic = true, reason = NULL, detail = NULL, updated_at = now()
  WHERE ${KEY} AND decision = 'pending' AND (SELECT COUNT(*) FROM ci_fixes WHERE ${PULL} AND automatic) < $5 RETURNING *`;
const PUT_COMMENT = `INSERT INTO ci_fix_comments (owner, repo, pull_request_number, comment_id) VALUES ($1, $2, $3, $4)
  ON CONFLICT (owner, repo, pull_request_number) DO UPDATE SET comment_id = excluded.comment_id`;

const keyValues = (k: CiFixKey) => [k.owner, k.repo, k.pullRequestNumber, k.headSha];

export class PostgresCiFixStore implements CiFixStore {
  readonly #pool: () => Pool;

  /** `pool` gives the store's pool; it throws once the store is closed. */
  constructor(pool: () => Pool) {
    this.#pool = pool;
  }

  async record(key: CiFixKey, checks: CiFixCheck[]): Promise<{ created: boolean; record: CiFixRecord }> {
    const k = checkKey(key);
    const { rows } = await this.#query(INSERT, [...keyValues(k), JSON.stringify(withoutNul(checkChecks(checks)))]);
    if (rows[0]) return { created: true, record: rowToCiFix(rows[0]) };
    return { created: false, record: (await this.get(k))! };
  }

  async claimAttempt(key: CiFixKey, max: number): Promise<CiFixRecord | null> {
    const k = checkKey(key);
    const claimed = await inTransaction(this.#pool(), async (client) => {
      await client.query(`SELECT 1 FROM ci_fixes WHERE ${PULL} FOR UPDATE`, [k.owner, k.repo, k.pullRequestNumber]);
      return (await client.query<Row>(CLAIM, [...keyValues(k), max])).rows[0];
    });
    if (claimed) return rowToCiFix(claimed);
    const current = await this.get(k);
    return current?.decision === "started" && current.automatic ? current : null;
  }

  async update(key: CiFixKey, patch: CiFixPatch): Promise<CiFixRecord> {
    const k = checkKey(key);
    const { columns, values } = patchColumns(patch);
    const sets = [...columns.map((c, i) => `${c} = $${i + 5}${c === "checks" ? "::jsonb" : ""}`), "updated_at = now()"].join(", ");
    const { rows } = await this.#query(`UPDATE ci_fixes SET ${sets} WHERE ${KEY} RETURNING *`, [...keyValues(k), ...values.map((v) => withoutNul(v))]);
    if (!rows[0]) throw new Error(`No CI fix record for ${k.owner}/${k.repo}#${k.pullRequestNumber} at ${k.headSha}.`);
    return rowToCiFix(rows[0]);
  }

  async get(key: CiFixKey): Promise<CiFixRecord | null> {
    const { rows } = await this.#query(`SELECT * FROM ci_fixes WHERE ${KEY}`, keyValues(checkKey(key)));
    return rows[0] ? rowToCiFix(rows[0]) : null;
  }

  async list(owner: string, repo: string, pullRequestNumber: number): Promise<CiFixRecord[]> {
    const { rows } = await this.#query(`SELECT * FROM ci_fixes WHERE ${PULL} ORDER BY seq`, checkPull(owner, repo, pullRequestNumber));
    return rows.map(rowToCiFix);
  }

  async findByTask(taskId: string): Promise<CiFixRecord | null> {
    const { rows } = await this.#query("SELECT * FROM ci_fixes WHERE task_id = $1 ORDER BY seq DESC LIMIT 1", [withoutNul(taskId)]);
    return rows[0] ? rowToCiFix(rows[0]) : null;
  }

  async statusComment(owner: string, repo: string, pullRequestNumber: number): Promise<number | null> {
    const { rows } = await this.#query(`SELECT comment_id FROM ci_fix_comments WHERE ${PULL}`, checkPull(owner, repo, pullRequestNumber));
    return rows[0] ? Number(rows[0].comment_id) : null;
  }

  async setStatusComment(owner: string, repo: string, pullRequestNumber: number, commentId: number): Promise<void> {
    await this.#query(PUT_COMMENT, [...checkPull(owner, repo, pullRequestNumber), checkCommentId(commentId)]);
  }

  #query(sql: string, values: unknown[]) {
    return this.#pool().query<Row>(sql, values);
  }
}
