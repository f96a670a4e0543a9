/**
 * The caller of a request to /api/v1: its bearer token resolved by
 * src/access (the operator token or a personal token) into a Caller with
 * face `api`. Only who is asking is decided here; what they may do is the
 * control plane's to decide.
 */
import type { IncomingMessage } from "node:http";
import { resolvePrincipal, type TokenSources } from "../access/resolve-principal.ts";
import type { Caller } from "../domain/actor.ts";
import { bearerToken } from "../ops/bearer.ts";
import type { Problem } from "./problem.ts";

export function authenticate(req: IncomingMessage, sources: TokenSources): { ok: true; caller: Caller } | { ok: false; problem: Problem } {
  const header = req.headers.authorization;
  const bearer = bearerToken(header);
  if (bearer === null && header !== undefined) {
    return { ok: false, problem: unauthorized("the Authorization header is not a bearer token: send Authorization: Bearer <token>", "invalid_request") };
  }
  const resolved = resolvePrincipal(bearer, sources);
  if (resolved.ok) return { ok: true, caller: { principal: resolved.principal, face: "api" } };
  if (resolved.status === 503) return { ok: false, problem: { code: "unavailable", status: 503, title: "Tokens unavailable", detail: sentence(resolved.message) } };
  return { ok: false, problem: unauthorized(resolved.message, bearer === null ? null : "invalid_token") };
}

function unauthorized(message: string, error: "invalid_request" | "invalid_token" | null): Problem {
  const challenge = `Bearer realm="openjules"${error ? `, error="${error}"` : ""}`;
  return { code: "unauthorized", status: 401, title: "Unauthorized", detail: sentence(message), headers: { "www-authenticate": challenge } };
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
