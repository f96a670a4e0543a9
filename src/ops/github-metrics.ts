/**
 * An Octokit plugin that counts every GitHub API response by method and
 * status (0 when no response came: network error, timeout) and keeps the
 * last `x-ratelimit-remaining` GitHub reported, per rate-limit resource.
 * Registered on the Octokit class, its hooks sit inside the pacer's wrap, so
 * each HTTP attempt is counted, retries included.
 *
 *   const Octokit = ProbotOctokit.plugin(githubMetricsPlugin(metrics)).defaults(...)
 */
import type { Metrics } from "./metrics.ts";

type Headers = Record<string, string | number | undefined>;
interface RequestOptions {
  method?: string;
}
interface HookHost {
  hook: {
    after(name: "request", fn: (response: { status: number; headers: Headers }, options: RequestOptions) => void): void;
    error(name: "request", fn: (error: unknown, options: RequestOptions) => never): void;
  };
}

export function githubMetricsPlugin(metrics: Pick<Metrics, "githubCall">) {
  const record = (options: RequestOptions, status: number, headers: Headers | undefined) => {
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    const resource = headers?.["x-ratelimit-resource"];
    metrics.githubCall(
      options.method ?? "GET",
      status,
      Number.isFinite(remaining) && headers?.["x-ratelimit-remaining"] !== undefined ? remaining : undefined,
      typeof resource === "string" ? resource : "core",
    );
  };
  return (octokit: HookHost): void => {
    octokit.hook.after("request", (response, options) => record(options, response.status, response.headers));
    octokit.hook.error("request", (error, options) => {
      const e = error as { status?: unknown; response?: { headers?: Headers } };
      // Octokit reports a network failure as status 500 without a response: count it as 0.
      record(options, e.response && typeof e.status === "number" ? e.status : 0, e.response?.headers);
      throw error;
    });
  };
}
