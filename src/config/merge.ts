/**
 * Merges the configuration files Probot's config loader found, base first
 * (the owner's `.github` repository or an `_extends` target) and the
 * repository's own file last: nested objects merge key by key, anything else
 * (arrays included) is replaced by the later file.
 */
export function mergeConfigs(configs: unknown[]): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const config of configs) if (isPlainObject(config)) merged = mergeTwo(merged, config);
  return merged;
}

function mergeTwo(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? mergeTwo(prior, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
