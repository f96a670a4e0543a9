/**
 * Walks a zod schema along a config path (`["budgets", "max_turns"]`,
 * `["deny_paths", 0]`), looking through defaults and optionals, and
 * describes what a field accepts in words ("a whole number greater than 0",
 * "one of: `required`, `auto`"). Used to tell people what a key expects.
 */
import { z } from "zod";

type Any = z.ZodType;

function unwrap(schema: Any): Any {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault) current = current.removeDefault() as Any;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as Any;
    else return current;
  }
}

/** The schema of the value at `path`, or null when the path leads nowhere. */
export function schemaAt(root: Any, path: readonly PropertyKey[]): Any | null {
  let current: Any = unwrap(root);
  for (const segment of path) {
    if (current instanceof z.ZodObject && typeof segment === "string") {
      const next = (current.shape as Record<string, Any>)[segment];
      if (!next) return null;
      current = unwrap(next);
    } else if (current instanceof z.ZodArray && typeof segment === "number") {
      current = unwrap(current.element as Any);
    } else {
      return null;
    }
  }
  return current;
}

/** Allowed keys of the object at `path` (empty when it is not an object). */
export function keysAt(root: Any, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

type Json = Record<string, unknown>;

const list = (values: unknown[]): string => values.map((v) => `\`${String(v)}\``).join(", ");

function bound(json: Json): string {
  if (typeof json.exclusiveMinimum === "number") return ` greater than ${json.exclusiveMinimum}`;
  if (typeof json.minimum === "number" && json.minimum > Number.MIN_SAFE_INTEGER) return ` of at least ${json.minimum}`;
  return "";
}

function describeJson(json: Json): string {
  if (Array.isArray(json.enum)) return `one of: ${list(json.enum)}`;
  switch (json.type) {
    case "integer":
      return `a whole number${bound(json)}`;
    case "number":
      return `a number${bound(json)}`;
    case "boolean":
      return "`true` or `false`";
    case "string": {
      const parts = ["text"];
      if (json.minLength === 1) parts.push("not empty");
      else if (typeof json.minLength === "number") parts.push(`at least ${json.minLength} characters`);
      if (typeof json.maxLength === "number") parts.push(`at most ${json.maxLength} characters`);
      return parts.join(", ");
    }
    case "array": {
      const items = json.items && typeof json.items === "object" ? describeJson(json.items as Json) : "values";
      return `a list, each item ${items}`;
    }
    case "object": {
      const keys = json.properties && typeof json.properties === "object" ? Object.keys(json.properties) : [];
      return keys.length > 0 ? `a mapping with keys among: ${list(keys)}` : "a mapping";
    }
    default:
      return "a valid value";
  }
}

/** What the field at `path` accepts, in words. */
export function describeExpected(root: Any, path: readonly PropertyKey[]): string {
  const schema = schemaAt(root, path);
  if (!schema) return "a valid value";
  return describeJson(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json);
}
