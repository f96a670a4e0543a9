/**
 * Signing in with GitHub (the web face's callback calls this): the code GitHub
 * gave is exchanged for the user's token, the user and the repositories they
 * reach through this app's installations are read with it, and a session is
 * stored. The browser keeps only a random secret (the cookie); the store
 * keeps its SHA-256, the CSRF token, the repositories and the user's token
 * sealed with settings.web.secretKey.
 */
import { randomBytes } from "node:crypto";
import { errorMessage } from "../domain/error-message.ts";
import { seal } from "../security/sealed.ts";
import type { AccountStore, WebSession } from "../store/port.ts";
import type { Result } from "../tasks/control/port.ts";
import { fail, ok } from "../tasks/control/result.ts";
import { gitHubStatus, type GitHubUser } from "./github-user.ts";
import { sessionId } from "./sessions.ts";

const PRUNE_AFTER_MS = 24 * 3_600_000;

export interface SignInDeps {
  accounts: Pick<AccountStore, "createSession" | "pruneSessions">;
  github: GitHubUser;
  /** settings.web.secretKey */
  secretKey: Buffer;
  /** settings.web.sessionMs */
  sessionMs: number;
  now?: () => Date;
  log?: { warn(details: Record<string, unknown>, message: string): void };
}

export interface SignedIn {
  /** The cookie's value: shown to the browser once, never stored. */
  secret: string;
  session: WebSession;
}

export async function signIn(deps: SignInDeps, input: { code: string; redirectUrl: string }): Promise<Result<SignedIn>> {
  let token: string;
  try {
    token = await deps.github.exchange(input);
  } catch (error) {
    const status = gitHubStatus(error);
    // GitHub answers a used, expired or foreign code with 200 and an error body, which oauth-methods turns into a 400.
    if (status !== null && status < 500)
      return fail("invalid", "Sign-in code refused", "GitHub did not accept the sign-in code (it expires after 10 minutes and works once); sign in again.");
    return unreachable(deps, error, "exchanging the sign-in code");
  }
  let user: { login: string; id: number };
  let repositories: string[];
  try {
    user = await deps.github.whoIs(token);
    repositories = await deps.github.repositories(token);
  } catch (error) {
    return unreachable(deps, error, "reading the user and their installations");
  }
  const now = (deps.now ?? (() => new Date()))();
  const secret = randomBytes(32).toString("base64url");
  const session: WebSession = {
    id: sessionId(secret),
    login: user.login,
    userId: user.id,
    csrfToken: randomBytes(32).toString("base64url"),
    githubToken: seal(token, deps.secretKey),
    repositories,
    repositoriesAt: now.toISOString(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.sessionMs).toISOString(),
    revokedAt: null,
  };
  await deps.accounts.createSession(session);
  // Sessions that ended (expired or signed out) more than a day ago are of no more use: each sign-in clears them.
  await deps.accounts.pruneSessions(new Date(now.getTime() - PRUNE_AFTER_MS).toISOString());
  return ok({ secret, session });
}

function unreachable(deps: SignInDeps, error: unknown, what: string): Result<never> {
  const status = gitHubStatus(error);
  deps.log?.warn({ status, error: errorMessage(error) }, `sign-in failed ${what}`);
  return fail(
    "unavailable",
    "GitHub unreachable",
    status === null ? `GitHub could not be reached while ${what}; try again in a moment.` : `GitHub answered ${status} while ${what}; try again in a moment.`,
  );
}
