/**
 * The WHERE clause of `list()` on both backends: owner, repository and state
 * filters, and `repositories` (what a personal token may see: `owner/name`,
 * compared case-insensitively; an empty list matches nothing).
 */
import type { TaskFilter } from "./port.ts";

export interface ListQuery {
  clause: string;
  params: string[];
}

/**
 * `param(n)` writes the n-th parameter (1-based: `?` or `$n`); `same(column,
 * p)` compares a name column with a parameter the backend's case-insensitive way.
 */
export function listQuery(filter: TaskFilter, param: (n: number) => string, same: (column: string, p: string) => string): ListQuery {
  const params: string[] = [];
  const next = (value: string) => param(params.push(value));
  const conditions: string[] = [];
  if (filter.owner !== undefined) conditions.push(same("owner", next(filter.owner)));
  if (filter.repo !== undefined) conditions.push(same("repo", next(filter.repo)));
  if (filter.state !== undefined) conditions.push(`state = ${next(filter.state)}`);
  if (filter.repositories !== undefined) {
    const names = filter.repositories.map((name) => next(name.toLowerCase()));
    conditions.push(names.length ? `(lower(owner) || '/' || lower(repo)) IN (${names.join(", ")})` : "1 = 0");
  }
  return { clause: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}
