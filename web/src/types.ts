/**
 * The shapes the pages read from /api/v1: the task and its events as the
 * server's own types (src/domain, src/tasks/control/port.ts), and the
 * account answers of the web app's design contract (issue 12).
 */
export type { Task, TaskEvent, TaskLogEvent, TaskState } from "../../src/domain/model.ts";
export type { MessageDelivery, Repository, TaskDiff, TaskPage, TaskSummary, TaskView } from "../../src/tasks/control/port.ts";

export interface Me {
  login: string | null;
  operator: boolean;
  face: "web" | "api";
  csrfToken: string | null;
  expiresAt: string | null;
  features: { signIn: boolean; userKeys: boolean; personalTokens: boolean; speech: "server" | "browser" };
}

/** What the caller may do on one task; not (yet) in every answer, so read with `canWrite`. */
export interface TaskPermissions {
  write: boolean;
}

export interface TokenEntry {
  id: string;
  login: string;
  scopes: ("read" | "write")[];
  repositories: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  label?: string;
}

export interface ProviderKey {
  provider: string;
  last4: string;
  createdAt: string;
}

export interface SpokenSummary {
  text: string;
  audioUrl: string | null;
  engine: string | null;
}

/** The effective .github/jules.yml of a repository within the operator's caps (GET /repos/{owner}/{repo}/settings). */
export interface RepoSettings {
  /** "required" or "auto" */
  approval: string;
  /** "writers" or "others" (the four-eyes rule) */
  approvers: string;
  budgets: { maxTurns?: number | null; maxTokens?: number | null; maxCostUsd?: number | null; maxMinutes?: number | null };
  model: string | null;
  /** The command word (`jules` for /jules). */
  command: string;
}

export interface Models {
  default: string | null;
  allowed: string[];
}
