import { redactFound } from "../security/redact.ts";

/**
 * The outbound secret scan of everything OpenJules sends to GitHub's API: an
 * Octokit plugin registered on the Octokit class (runtime.ts), so every
 * request of every client (app and installation, the gateway and any future
 * caller) passes through it. Before a request is sent, every string it
 * carries as a parameter (comment and pull request bodies, titles, check run
 * output, labels, query parameters) is redacted: a secret (a known token
 * shape, a private key, a configured value of this process) is replaced by
 * `[REDACTED:<rule>]` and the rest is sent, and `onRedacted` is told which
 * rules matched (for a log line and a metric; never the value). The path
 * parameters (owner, repo, numbers) and Octokit's own options are left alone.
 * The task is not failed: the text still says what it must, without the
 * secret. (A push is different: code cannot be redacted, so delivery refuses
 * to push a secret, see delivery/4-scan-secrets.ts.)
 */

export interface RedactedRequest {
  method: string;
  /** The route template (`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`), never the values. */
  route: string;
  rules: string[];
}

export interface OutboundScanOptions {
  secrets: readonly string[];
  onRedacted(info: RedactedRequest): void;
}

type RequestOptions = Record<string, unknown>;

interface HookHost {
  hook: { before(name: "request", fn: (options: RequestOptions) => void): void };
}

/** Octokit's own options, never sent as parameters. */
const NOT_PARAMETERS = new Set(["method", "baseUrl", "url", "headers", "request", "mediaType"]);

export function outboundScanPlugin(options: OutboundScanOptions) {
  return (octokit: HookHost): void => {
    octokit.hook.before("request", (request) => {
      const rules = redactRequest(request, options.secrets);
      if (rules.length === 0) return;
      const method = String(request.method ?? "GET").toUpperCase();
      options.onRedacted({ method, route: `${method} ${String(request.url ?? "")}`, rules: [...new Set(rules)] });
    });
  };
}

/** Redacts the request's parameters in place; the rules that matched. */
export function redactRequest(request: RequestOptions, secrets: readonly string[]): string[] {
  const inPath = new Set([...String(request.url ?? "").matchAll(/\{([^}?&/]+)\}/g)].map((m) => m[1]));
  const rules: string[] = [];
  for (const key of Object.keys(request)) {
    if (NOT_PARAMETERS.has(key) || inPath.has(key)) continue;
    request[key] = redactValue(request[key], secrets, rules);
  }
  return rules;
}

function redactValue(value: unknown, secrets: readonly string[], rules: string[]): unknown {
  if (typeof value === "string") {
    const found = redactFound(value, secrets);
    rules.push(...found.rules);
    return found.text;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, rules));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets, rules)]));
  }
  return value;
}
