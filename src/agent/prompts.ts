import { readFileSync } from "node:fs";

/**
 * The agent's prompts, kept as Markdown files in ./prompts so they can be read
 * and reviewed as text: loaded once at startup, filled with `{{name}}`
 * placeholders in a single pass (values are never re-expanded, so text from an
 * issue cannot inject a placeholder). A missing value is a programming error.
 */

const load = (name: string): string => readFileSync(new URL(`./prompts/${name}.md`, import.meta.url), "utf8");

export const PROMPTS = {
  plan: load("plan"),
  ask: load("ask"),
  execute: load("execute"),
  revise: load("revise"),
} as const;

export function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`prompt placeholder {{${name}}} has no value`);
    return value;
  });
}
