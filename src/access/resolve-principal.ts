/**
 * Who a bearer token is: the operator (JULES_API_TOKEN, both sides hashed and
 * compared in constant time, as src/ops/bearer.ts does), a GitHub user (a personal token of
 * JULES_API_TOKENS), or nobody (401 with what to do). Every face that takes a
 * token (HTTP API, MCP over HTTP, the CLI against a server) calls this, then
 * `decide`/`authorize` (./decide.ts) for each repository it touches.
 */
import type { Principal } from "../domain/actor.ts";
import { sameSecret, TOKEN_PREFIX, type PersonalTokens } from "./personal-tokens.ts";
import { TokenFileError } from "./token-file.ts";

export type Resolution =
  | { ok: true; principal: Principal /** The personal token's id; absent for the operator. */; tokenId?: string }
  | { ok: false /** 503: the token file is malformed (the operator token still works). */; status: 401 | 503; message: string };

export interface TokenSources {
  /** JULES_API_TOKEN (settings.ops.apiToken); undefined when there is none. */
  operatorToken: string | undefined;
  /** The personal token file; null when JULES_API_TOKENS is not set (personal tokens off). */
  tokens: PersonalTokens | null;
}

const refused = (message: string): Resolution => ({ ok: false, status: 401, message });

export function resolvePrincipal(bearer: string | null, { operatorToken, tokens }: TokenSources): Resolution {
  if (bearer === null || bearer === "")
    return refused("no token: send the header Authorization: Bearer <token> (the operator token or a personal token from `openjules tokens add`)");
  if (operatorToken !== undefined && sameSecret(bearer, operatorToken)) return { ok: true, principal: { kind: "operator" } };
  if (!bearer.startsWith(TOKEN_PREFIX)) return refused("this token is not valid on this server; ask the operator for a personal token (`openjules tokens add`)");
  if (tokens === null) return refused("personal tokens are off on this server (JULES_API_TOKENS is not set); ask the operator to set it up");
  let entry: ReturnType<PersonalTokens["find"]>;
  try {
    entry = tokens.find(bearer);
  } catch (error) {
    if (!(error instanceof TokenFileError)) throw error;
    return {
      ok: false,
      status: 503,
      message: "personal tokens cannot be checked right now: the server's token file is malformed; ask the operator (`openjules tokens list` names the problem)",
    };
  }
  if (entry === null) return refused("unknown token (mistyped, or from another server); ask the operator for a personal token (`openjules tokens add`)");
  if (entry.revokedAt !== null) return refused(`this token was revoked on ${entry.revokedAt.slice(0, 10)}; ask the operator for a new one`);
  return { ok: true, tokenId: entry.id, principal: { kind: "user", login: entry.login, scopes: entry.scopes, repositories: entry.repositories } };
}
