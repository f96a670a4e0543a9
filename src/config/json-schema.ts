/**
 * Builds the JSON Schema of `.github/jules.yml` from the zod schema (input
 * side, so keys with defaults are optional), for editors and for
 * `schema/jules.schema.json` (written by `npm run schema`, checked for drift
 * by a test). Two adjustments zod cannot express: case-insensitive regexes
 * (`/…/i`) are rewritten without the flag, which JSON Schema lacks, and
 * Probot's `_extends` key is declared.
 */
import { z } from "zod";
import { RepoConfigSchema } from "./repo-config.ts";

export const SCHEMA_PATH = "schema/jules.schema.json";

/**
 * Rewrites a regex source so it matches both cases without the `i` flag
 * (letters → `[aA]`, class ranges `a-z` → `a-zA-Z`). Meant for the simple
 * patterns of this schema: escapes and classes are handled, group syntax
 * such as `(?<name>…)` is not.
 */
export function caseInsensitiveSource(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      out += c + (source[i + 1] ?? "");
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      const range = /^([a-zA-Z])-([a-zA-Z])/.exec(source.slice(i));
      if (range) {
        const [whole, from, to] = range as unknown as [string, string, string];
        out += `${whole}${from === from.toLowerCase() ? from.toUpperCase() : from.toLowerCase()}-${to === to.toLowerCase() ? to.toUpperCase() : to.toLowerCase()}`;
        i += whole.length - 1;
      } else if (/[a-zA-Z]/.test(c)) {
        out += c.toLowerCase() + c.toUpperCase();
      } else {
        out += c;
      }
    } else if (c === "[") {
      inClass = true;
      out += c;
      if (source[i + 1] === "^") {
        out += "^";
        i++;
      }
    } else if (/[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/** The first `/…/i` regex check of a string schema, if any. */
function caseInsensitiveRegex(schema: z.core.$ZodType): RegExp | undefined {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  for (const check of checks) {
    const pattern = (check._zod.def as { pattern?: unknown }).pattern;
    if (pattern instanceof RegExp && pattern.flags.includes("i")) return pattern;
  }
  return undefined;
}

export function buildRepoConfigJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RepoConfigSchema, {
    io: "input",
    target: "draft-2020-12",
    override: (ctx) => {
      const regex = caseInsensitiveRegex(ctx.zodSchema);
      if (regex && typeof ctx.jsonSchema.pattern === "string") ctx.jsonSchema.pattern = caseInsensitiveSource(regex.source);
    },
  }) as Record<string, unknown>;
  const { $schema, description, ...rest } = generated;
  const properties = rest.properties as Record<string, unknown>;
  return {
    $schema,
    title: "OpenJules repository settings",
    description:
      `${String(description ?? "")} Editors can check the file against this schema: add \`# yaml-language-server: $schema=<url of this file>\` as its first line.`.trim(),
    ...rest,
    properties: {
      ...properties,
      _extends: {
        description: "Inherit settings from another repository's file (Probot), e.g. `.github` or `my-org/settings:.github/jules.yml`; keys here override it.",
        type: "string",
      },
    },
  };
}

/** The file's exact text: two-space indented JSON and a final newline. */
export function renderRepoConfigJsonSchema(): string {
  return `${JSON.stringify(buildRepoConfigJsonSchema(), null, 2)}\n`;
}
