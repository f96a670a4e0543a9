/**
 * A web session from its cookie secret: the stored session (looked up by the
 * secret's SHA-256) and the principal the control plane checks, or why there
 * is none (unknown, expired, revoked). A login of settings.web.operators is
 * the operator (recorded under that login); anyone else is a user with both
 * scopes over the repositories they reach through this app's installations,
 * whose role on each repository the control plane still asks GitHub for.
 * That list is read again with the user's token when it is older than five
 * minutes; when GitHub cannot tell, the old list stays. Signing out revokes.
 */
import { createHash } from "node:crypto";
import type { Principal } from "../domain/actor.ts";
import type { Logger } from "../domain/logger.ts";
import { errorMessage } from "../domain/error-message.ts";
import { open } from "../security/sealed.ts";
import type { AccountStore, WebSession } from "../store/port.ts";
import type { Settings } from "../settings.ts";
import { gitHubStatus, gitHubUserFor, type GitHubUser } from "./github-user.ts";

/** How old the list of a session's repositories may be before it is read from GitHub again. */
export const REPOSITORIES_MAX_AGE_MS = 5 * 60_000;
/** After GitHub failed to give the list, the next try waits this long (the old list is used meanwhile). */
const RETRY_AFTER_FAILURE_MS = 60_000;

export type SessionLookup = { ok: true; session: WebSession; principal: Principal } | { ok: false; reason: "unknown" | "expired" | "revoked" };

export interface SessionsDeps {
  accounts: Pick<AccountStore, "findSession" | "updateSessionRepositories" | "revokeSession">;
  github: Pick<GitHubUser, "repositories">;
  /** settings.web.secretKey (opens the sealed GitHub token). */
  secretKey: Buffer;
  /** settings.web.operators (lower case). */
  operators: readonly string[];
  now?: () => Date;
  log?: Pick<Logger, "warn">;
}

export interface Sessions {
  resolve(secret: string): Promise<SessionLookup>;
  /** The stored session of this secret as it is (expired and revoked ones too, no refresh), or null. */
  find(secret: string): Promise<WebSession | null>;
  /** Revokes the session of this secret; false when there was none to revoke. */
  signOut(secret: string): Promise<boolean>;
}

/** The stored id of a session: hex SHA-256 of the cookie's secret. */
export const sessionId = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

/** Only the shape of a secret signIn makes (32 random bytes, base64url) is looked up. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function principalOf(session: Pick<WebSession, "login" | "repositories">, operators: readonly string[]): Principal {
  if (operators.includes(session.login.toLowerCase())) return { kind: "operator", login: session.login };
  return { kind: "user", login: session.login, scopes: ["read", "write"], repositories: session.repositories };
}

export function createSessions(deps: SessionsDeps): Sessions {
  const now = deps.now ?? (() => new Date());
  /** One refresh at a time per session; sessions whose last refresh failed, with when. */
  const refreshing = new Map<string, Promise<WebSession>>();
  const failedAt = new Map<string, number>();

  async function refresh(session: WebSession): Promise<WebSession> {
    const token = open(session.githubToken, deps.secretKey);
    if (token === null) {
      deps.log?.warn({ login: session.login }, "a session's GitHub token cannot be opened (JULES_SECRET_KEY changed?); its repository list is kept");
      failedAt.set(session.id, now().getTime());
      return session;
    }
    try {
      const repositories = await deps.github.repositories(token);
      const at = now().toISOString();
      await deps.accounts.updateSessionRepositories(session.id, repositories, at);
      failedAt.delete(session.id);
      return { ...session, repositories, repositoriesAt: at };
    } catch (error) {
      deps.log?.warn({ login: session.login, status: gitHubStatus(error), error: errorMessage(error) }, "GitHub did not list a session's repositories; the previous list is kept");
      failedAt.set(session.id, now().getTime());
      return session;
    }
  }

  function fresh(session: WebSession): Promise<WebSession> {
    const t = now().getTime();
    if (t - Date.parse(session.repositoriesAt) < REPOSITORIES_MAX_AGE_MS) return Promise.resolve(session);
    if (t - (failedAt.get(session.id) ?? Number.NEGATIVE_INFINITY) < RETRY_AFTER_FAILURE_MS) return Promise.resolve(session);
    let running = refreshing.get(session.id);
    if (!running) {
      running = refresh(session).finally(() => refreshing.delete(session.id));
      refreshing.set(session.id, running);
    }
    return running;
  }

  const find = (secret: string) => (SECRET.test(secret) ? deps.accounts.findSession(sessionId(secret)) : Promise.resolve(null));
  return {
    find,
    async resolve(secret) {
      const found = await find(secret);
      if (!found) return { ok: false, reason: "unknown" };
      if (found.revokedAt !== null) return { ok: false, reason: "revoked" };
      if (Date.parse(found.expiresAt) <= now().getTime()) return { ok: false, reason: "expired" };
      // The operator sees everything: no list to keep fresh.
      const session = principalOf(found, deps.operators).kind === "operator" ? found : await fresh(found);
      return { ok: true, session, principal: principalOf(session, deps.operators) };
    },
    async signOut(secret) {
      const found = await find(secret);
      if (!found || found.revokedAt !== null) return false;
      await deps.accounts.revokeSession(found.id, now().toISOString());
      failedAt.delete(found.id);
      return true;
    },
  };
}

/** The sessions of a process, as the settings configure them (the web face's sign-out, the API's cookie authentication). */
export function sessionsFor(
  settings: Pick<Settings, "web" | "github">,
  accounts: SessionsDeps["accounts"],
  log?: Pick<Logger, "warn">,
  github = gitHubUserFor(settings),
): Sessions {
  return createSessions({ accounts, github, secretKey: settings.web.secretKey, operators: settings.web.operators, ...(log ? { log } : {}) });
}
