/**
 * Real answers checked against the API's own OpenAPI document (served at
 * /api/v1/openapi.json): the status must be documented for the operation,
 * the media type documented for that status, and a JSON body must validate
 * against its schema (JSON Schema 2020-12, with ajv and ajv-formats).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}
export interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

export class Conformance {
  readonly #doc: OpenApi;
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();
  /** `METHOD template status` of every answer checked. */
  readonly seen = new Set<string>();

  constructor(doc: OpenApi) {
    this.#doc = doc;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ $id: "api", components: doc.components });
  }

  operations(): string[] {
    return Object.entries(this.#doc.paths).flatMap(([template, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${template}`));
  }

  /** Checks the answer (its body is read unless `bodyless`, for a stream); returns the parsed JSON body, if any. */
  async check(operation: string, res: Response, options: { bodyless?: boolean } = {}): Promise<unknown> {
    const [method, template] = operation.split(" ") as [string, string];
    const op = this.#doc.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`${operation} is not in the document`);
    const documented = op.responses[String(res.status)];
    if (!documented) throw new Error(`${operation} answered ${res.status}, which the document does not list (${Object.keys(op.responses).join(", ")})`);
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const media = documented.content?.[type];
    if (!media) throw new Error(`${operation} ${res.status} answered ${type}, the document lists ${Object.keys(documented.content ?? {}).join(", ")}`);
    this.seen.add(`${operation} ${res.status}`);
    if (options.bodyless) return undefined;
    const text = await res.text();
    const body = type.endsWith("json") ? JSON.parse(text) : text;
    const validate = this.#validator(`${operation} ${res.status} ${type}`, media.schema);
    if (!validate(body)) throw new Error(`${operation} ${res.status}: the body does not match the document: ${this.#ajv.errorsText(validate.errors)}\n${text.slice(0, 2000)}`);
    return body;
  }

  #validator(key: string, schema: Json): ValidateFunction {
    let fn = this.#compiled.get(key);
    if (!fn) {
      fn = this.#ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"api#/components/')));
      this.#compiled.set(key, fn);
    }
    return fn;
  }
}
