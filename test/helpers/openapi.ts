/**
 * Checks requests (and the mocked answers) against GitHub's official OpenAPI
 * description (`@octokit/openapi`, generated/api.github.com.json): the method
 * and path must name a documented operation, required query parameters must
 * be present, and JSON bodies must validate against the operation's schemas.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; $ref?: string }[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { content?: Record<string, { schema?: Json }>; $ref?: string }>;
}
interface Route {
  method: string;
  template: string;
  regex: RegExp;
  operation: Operation;
}

let loaded: { spec: Json; routes: Route[]; ajv: Ajv } | null = null;

function load() {
  if (loaded) return loaded;
  const path = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(path, "utf8")) as Json;
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, Operation>>)) {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, "[^/]+");
    for (const [method, operation] of Object.entries(item)) {
      if (method === "parameters") continue;
      routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${pattern}$`), operation });
    }
  }
  // Literal segments beat parameters: sort so that templates with fewer parameters match first.
  routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("repo.nwo", /^[^/\s]+\/[^/\s]+$/);
  ajv.addSchema({ components: toJsonSchema((spec as { components: Json }).components) }, "gh");
  loaded = { spec, routes, ajv };
  return loaded;
}

const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: Json): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    const rewritten = toJsonSchema(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"gh#/components/'))) as Json;
    fn = load().ajv.compile(rewritten);
    compiled.set(key, fn);
  }
  return fn;
}

export function findOperation(method: string, path: string): Route | null {
  const pathname = path.split("?")[0]!.replace(/^\/api\/v3/, "");
  return load().routes.find((r) => r.method === method.toUpperCase() && r.regex.test(pathname)) ?? null;
}

/** Problems with a request, or an empty list when GitHub's description allows it. */
export function checkRequest(method: string, path: string, body: unknown): string[] {
  const route = findOperation(method, path);
  if (!route) return [`${method} ${path} is not an operation in GitHub's OpenAPI description`];
  const problems: string[] = [];
  const query = new URLSearchParams(path.split("?")[1] ?? "");
  for (const p of route.operation.parameters ?? []) {
    if (p.in === "query" && p.required && !query.has(p.name)) problems.push(`${route.operation.operationId}: missing required query parameter ${p.name}`);
  }
  const schema = route.operation.requestBody?.content?.["application/json"]?.schema;
  if (schema && body !== undefined && body !== "") {
    const validate = validator(`req:${route.operation.operationId}`, schema);
    if (!validate(body)) problems.push(`${route.operation.operationId} request body: ${load().ajv.errorsText(validate.errors)}`);
  }
  return problems;
}

/** Problems with a mocked response body for the given status, so mocks speak GitHub's real shapes. */
export function checkResponse(method: string, path: string, status: number, body: unknown): string[] {
  const route = findOperation(method, path);
  if (!route) return [`${method} ${path} is not an operation in GitHub's OpenAPI description`];
  const response = route.operation.responses?.[String(status)];
  if (!response) return [`${route.operation.operationId} does not document a ${status} response`];
  const schema = response.content?.["application/json"]?.schema;
  if (!schema || body === undefined || body === "") return [];
  const validate = validator(`res:${route.operation.operationId}:${status}`, schema);
  return validate(body) ? [] : [`${route.operation.operationId} ${status} response: ${load().ajv.errorsText(validate.errors)}`];
}

/** OpenAPI 3.0's `nullable: true` becomes JSON Schema's "or null". */
function toJsonSchema(node: unknown): any {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) if (k !== "nullable") out[k] = toJsonSchema(v);
  if ((node as Json).nullable === true) return { anyOf: [out, { type: "null" }] };
  return out;
}
