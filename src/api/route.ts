/**
 * What a route of /api/v1 is: its method and path (an OpenAPI template), its
 * documentation (query parameters, body schema, answers), and its handler.
 * The router (handler.ts) and the OpenAPI document (openapi.ts) both read the
 * same table, so what is documented is what is served.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { Caller } from "../domain/actor.ts";
import type { WebSession } from "../store/port.ts";
import type { ControlPlane, Result } from "../tasks/control/port.ts";
import { fromUseCase, type Problem } from "./problem.ts";

export interface RouteRequest<B> {
  caller: Caller;
  /** The web session when the caller came with its cookie (face `web`), else null. */
  session: Pick<WebSession, "csrfToken" | "expiresAt"> | null;
  /** What this server offers (GET /me). */
  features: Features;
  control: ControlPlane;
  params: Record<string, string>;
  query: URLSearchParams;
  body: B;
  req: IncomingMessage;
  res: ServerResponse;
  /** Aborted when the client goes away or the server stops. */
  signal: AbortSignal;
  heartbeatMs: number;
  /** The process's own secrets, redacted (with known secret shapes) from what the API shows of the event log. */
  secrets: readonly string[];
  onStreamError(error: unknown): void;
}

export interface Features {
  /** Sign-in with GitHub is configured (GITHUB_CLIENT_ID). */
  signIn: boolean;
  /** Users may keep their own provider keys (JULES_ALLOW_USER_KEYS). */
  userKeys: boolean;
  /** Personal API tokens are on (JULES_API_TOKENS). */
  personalTokens: boolean;
  /** Spoken summaries made on the server (a speech engine), or left to the browser's speech synthesis. */
  speech: "server" | "browser";
}

export type Outcome =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType: string }
  | { status: number; bytes: Uint8Array; contentType: string }
  | { problem: Problem }
  /** The route wrote the answer itself (an event stream). */
  | { streamed: true };

export interface Documented {
  description: string;
  /** JSON answers: the zod schema (with an id, so it is a component of the document). */
  schema?: z.ZodType;
  /** Other media types this answer may have, with the JSON Schema of their body. */
  other?: Record<string, Record<string, unknown>>;
  headers?: Record<string, string>;
}

export interface QueryParam {
  name: string;
  description: string;
  schema: Record<string, unknown>;
  in?: "query" | "header";
}

export interface ApiRoute<B = unknown> {
  method: "GET" | "POST";
  /** Under /api/v1, with {parameters}: `/tasks/{id}/approve`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** The query parameters (and headers) it reads; any other query parameter is refused. */
  params?: QueryParam[];
  body?: { schema: z.ZodType<B>; required: boolean };
  /** Success answers by status. */
  responses: Record<number, Documented>;
  /** Problem statuses it may answer besides 400, 401 and 500. */
  problems: number[];
  /** false: no token needed (the OpenAPI document). */
  auth?: false;
  handle(request: RouteRequest<B>): Promise<Outcome>;
}

/** Keeps the body's type between the schema and the handler. */
export const route = <B>(definition: ApiRoute<B>): ApiRoute<B> => definition;

/** A control plane result as an answer: `ok` maps the value, an error becomes its problem. */
export async function answer<T>(result: Promise<Result<T>>, ok: (value: T) => Outcome): Promise<Outcome> {
  const settled = await result;
  return settled.ok ? ok(settled.value) : { problem: fromUseCase(settled.error) };
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Outcome => ({ status, json: body, ...(headers ? { headers } : {}) });

/** Negotiation of routes that answer JSON or another media type: `?format=` wins, then the Accept header. */
export function wantsJson(format: string | null, accept: string | undefined, other: string): boolean {
  if (format !== null) return format === "json";
  const types = (accept ?? "").toLowerCase();
  return types.includes("application/json") && !types.includes(other);
}
