/**
 * The OpenAPI 3.1 document of /api/v1, generated from the route table and
 * its zod schemas (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses
 * it): every schema with an id becomes a component, every route an
 * operation with its parameters, body and answers (problems included).
 */
import { z } from "zod";
import { TOKEN_ID } from "../access/token-file.ts";
import { KEY_PROVIDERS } from "../accounts/keys.ts";
import { TASK_ID } from "../ops/task-api.ts";
import type { ApiRoute } from "./route.ts";
import { ProblemSchema } from "./schemas/bodies.ts";

type Json = Record<string, unknown>;

const PROBLEMS: Record<number, string> = {
  400: "The request was refused: the detail says what to change",
  401: "No valid token or session: send Authorization: Bearer <token>, or sign in to the web app again",
  403: "The caller may not do this (or, with the session cookie, the request failed the CSRF check)",
  404: "No such task or repository (or one the token may not see)",
  409: "The task is not in a state that allows this, or the Idempotency-Key was used with another body",
  408: "The body did not arrive in time",
  411: "A body without a Content-Length",
  413: "The body is larger than the API takes",
  415: "The body is not application/json",
  500: "An error on the server; see its logs",
  502: "GitHub failed or refused a request this needed (the detail names GitHub's answer); try again later",
  503: "GitHub or the token file cannot be reached right now; try again",
};

const PATH_PARAMS: Record<string, Json> = {
  id: { type: "string", pattern: TASK_ID.source },
  owner: { type: "string" },
  repo: { type: "string" },
  tokenId: { type: "string", pattern: TOKEN_ID.source },
  provider: { type: "string", enum: [...KEY_PROVIDERS] },
};

export function openApiDocument(routes: readonly ApiRoute<never>[]): Json {
  const components: Record<string, Json> = {};
  /** A zod schema as a $ref into components (its $defs hoisted there). */
  const ref = (schema: z.ZodType): Json => {
    const converted = JSON.parse(JSON.stringify(z.toJSONSchema(schema, { target: "draft-2020-12" })).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
    const { $schema: _schema, $defs, ...rest } = converted as Json & { $defs?: Record<string, Json> };
    Object.assign(components, $defs ?? {});
    return rest;
  };
  const problem = { "application/problem+json": { schema: ref(ProblemSchema) } };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    // A write with the session cookie may fail the CSRF check (403).
    const csrf = route.method === "POST" && route.auth !== false ? [403] : [];
    const statuses = [...new Set([400, 401, 500, 502, ...(route.body ? [408, 411, 413, 415] : []), ...csrf, ...route.problems])].sort((a, b) => a - b);
    const responses: Record<string, Json> = {};
    for (const [status, doc] of Object.entries(route.responses)) {
      const content: Json = {};
      if (doc.schema) content["application/json"] = { schema: ref(doc.schema) };
      for (const [type, schema] of Object.entries(doc.other ?? {})) content[type] = { schema };
      const headers = Object.fromEntries(Object.entries(doc.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: "string" } }]));
      responses[status] = { description: doc.description, content, ...(doc.headers ? { headers } : {}) };
    }
    for (const status of statuses) if (route.auth !== false || status !== 401) responses[status] = { description: PROBLEMS[status], content: problem };
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: "path", required: true, schema: PATH_PARAMS[name!] }));
    const parameters = [...pathParams, ...(route.params ?? []).map((p) => ({ name: p.name, in: p.in ?? "query", required: false, description: p.description, schema: p.schema }))];
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: route.body.required, content: { "application/json": { schema: ref(route.body.schema) } } } } : {}),
      responses,
      ...(route.auth === false ? { security: [] } : {}),
    };
    paths[`/api/v1${route.path}`] = { ...paths[`/api/v1${route.path}`], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: { title: "OpenJules API", version: "1", description: "Drive OpenJules tasks: the same use cases and permission rules as the /jules commands in a GitHub thread." },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The operator token (JULES_API_TOKEN) or a personal token (`openjules tokens add`)" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "oj_session",
          description:
            "The web app's session (sign in at /app/auth/login), used when there is no Authorization header; every POST also needs X-CSRF-Token (GET /me gives it) and, when sent, an Origin of this server",
        },
      },
    },
  };
}
