/** How a service URL setting is spelled: its variable, the schemes it takes, an example for the error. */
export interface ServiceUrlSpec {
  variable: string;
  protocols: readonly string[];
  example: string;
}

/**
 * The URL of a backing service (DATABASE_URL, REDIS_URL) with its password
 * replaced, safe to print. Throws a TypeError naming the variable, never its
 * value, for something that is not a URL of one of the spec's schemes.
 */
export function describeServiceUrl(url: string, spec: ServiceUrlSpec): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${spec.variable} is not a URL; expected ${spec.example}.`);
  }
  if (!spec.protocols.includes(parsed.protocol)) {
    throw new TypeError(`${spec.variable} must start with ${spec.protocols.map((p) => `${p}//`).join(" or ")}, got "${parsed.protocol}//".`);
  }
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
