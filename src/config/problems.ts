/**
 * Turns zod issues about `.github/jules.yml` into `ConfigProblem`s a person
 * can act on: the dotted key, what is wrong with the value found, and what the
 * key expects. Unknown keys name the allowed keys (and the closest one, for a
 * typo); enums list their values.
 */
import type { z } from "zod";
import { describeExpected, keysAt } from "./schema-at.ts";
import { closest } from "./closest.ts";

export interface ConfigProblem {
  /** Dotted path of the key, e.g. `budgets.max_turns` or `deny_paths.0`; `(file)` for the whole file. */
  key: string;
  /** What is wrong with the value found. */
  message: string;
  /** What the key accepts, in words. */
  expected: string;
}

export const WHOLE_FILE = "(file)";

export function dottedKey(path: readonly PropertyKey[]): string {
  return path.length === 0 ? WHOLE_FILE : path.map(String).join(".");
}

/** A short, safe rendering of a value found in the file. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    return `text ${shown}`;
  }
  return `\`${String(value)}\``;
}

export function problemsFromIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const input: unknown = (issue as { input?: unknown }).input;
    if (issue.code === "unrecognized_keys") {
      const allowed = keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const suggestion = closest(key, allowed);
        return {
          key: dottedKey([...issue.path, key]),
          message: suggestion ? `unknown key; did you mean \`${suggestion}\`?` : "unknown key",
          expected: `one of the keys: ${allowed.map((k) => `\`${k}\``).join(", ")}`,
        };
      });
    }
    const key = dottedKey(issue.path);
    const expected = issue.code === "invalid_format" ? issue.message : describeExpected(schema, issue.path);
    return [{ key, message: messageFor(issue, input), expected }];
  });
}

function messageFor(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return `wrong type: found ${showValue(input)}`;
    case "invalid_value":
      return `${showValue(input)} is not an allowed value`;
    case "too_small":
      return typeof input === "string" && input.length === 0 ? "must not be empty" : `${showValue(input)} is too small`;
    case "too_big":
      return `${showValue(input)} is too big`;
    case "invalid_format":
      return `${showValue(input)} does not have the expected form`;
    default:
      return issue.message;
  }
}
