/**
 * The repository's effective settings as rows (key, value, what it means),
 * for the help reply's table: defaults filled in, nested budgets flattened to
 * `budgets.max_turns`, unset optional keys shown as null with the behaviour
 * that applies instead. Descriptions come from the zod schema, so the table
 * and the JSON Schema never disagree.
 */
import { RepoConfigSchema, type RepoConfig } from "./repo-config.ts";
import { schemaAt } from "./schema-at.ts";

export interface ConfigRow {
  key: string;
  /** The value as it would be written in jules.yml (JSON for lists), or null when unset. */
  value: string | null;
  /** What applies when the key is unset. */
  unset: string;
  /** The schema's description of the key. */
  description: string;
}

const UNSET: Record<string, string> = {
  instructions: "AGENTS.md, .github/copilot-instructions.md or CLAUDE.md",
  provider: "the operator's default",
  model: "the operator's default",
  setup: "detected",
  test: "detected",
  assignee: "the operator's JULES_ASSIGNEE (no assignment trigger when neither is set)",
  "budgets.max_turns": "the operator's cap",
  "budgets.max_tokens": "the operator's cap",
  "budgets.max_cost_usd": "the operator's cap",
  "budgets.max_minutes": "the operator's cap",
};

function display(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function describeEffectiveConfig(config: RepoConfig): ConfigRow[] {
  const rows: ConfigRow[] = [];
  for (const key of Object.keys(RepoConfigSchema.shape) as (keyof RepoConfig)[]) {
    if (key !== "budgets") {
      rows.push(row([key], config[key]));
      continue;
    }
    for (const sub of Object.keys(RepoConfigSchema.shape.budgets.removeDefault().shape) as (keyof RepoConfig["budgets"])[]) {
      rows.push(row(["budgets", sub], config.budgets[sub]));
    }
  }
  return rows;
}

function row(path: string[], value: unknown): ConfigRow {
  const key = path.join(".");
  return {
    key,
    value: display(value),
    unset: UNSET[key] ?? "not set",
    description: fieldDescription(path) ?? "",
  };
}

/** Descriptions sit on the outer (defaulted or optional) schema, so they are read from the parent's shape. */
function fieldDescription(path: string[]): string | undefined {
  const parent = schemaAt(RepoConfigSchema, path.slice(0, -1));
  const shape = (parent as { shape?: Record<string, { description?: string }> } | null)?.shape;
  return shape?.[path[path.length - 1]!]?.description;
}
