import { Octokit } from "@octokit/rest";
import type { Logger } from "../domain/logger.ts";

/**
 * The end of GitHub's manifest flow: the code GitHub sent back is exchanged
 * (`POST /app-manifests/{code}/conversions`, no authentication) for the new
 * App's id, private key, webhook secret and OAuth client, as the .env lines
 * OpenJules reads. Only the status of a failure is logged: GitHub's error
 * carries the request, whose URL holds the code.
 */

export interface RegisteredApp {
  id: number;
  name: string;
  slug: string | undefined;
  htmlUrl: string;
  /** APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET. */
  credentials: Record<string, string>;
}

export type Conversion = { ok: true; app: RegisteredApp } | { ok: false; problem: string };

export async function convertManifestCode(code: string, options: { apiBaseUrl: string | undefined; log: Logger }): Promise<Conversion> {
  const quiet = () => undefined;
  const octokit = new Octokit({
    ...(options.apiBaseUrl ? { baseUrl: options.apiBaseUrl } : {}),
    userAgent: "openjules-first-run",
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: { retries: 0 },
  });
  let data: Awaited<ReturnType<typeof octokit.rest.apps.createFromManifest>>["data"];
  try {
    ({ data } = await octokit.rest.apps.createFromManifest({ code }));
  } catch (error) {
    const status = (error as { status?: number }).status;
    options.log.warn({ status: status ?? null }, "GitHub did not convert the App manifest's code");
    return {
      ok: false,
      problem:
        status === 404 || status === 422
          ? `GitHub no longer knows this registration (HTTP ${status}): its code lasts an hour and is used once.`
          : `GitHub could not be reached or refused the conversion (${status ? `HTTP ${status}` : "no answer"}).`,
    };
  }
  if (!data.webhook_secret) return { ok: false, problem: "GitHub gave the App no webhook secret: the App has no webhook. Delete it in GitHub's settings and start again." };
  return {
    ok: true,
    app: {
      id: data.id,
      name: data.name,
      slug: data.slug,
      htmlUrl: data.html_url,
      credentials: {
        APP_ID: String(data.id),
        PRIVATE_KEY: data.pem,
        WEBHOOK_SECRET: data.webhook_secret,
        GITHUB_CLIENT_ID: data.client_id,
        GITHUB_CLIENT_SECRET: data.client_secret,
      },
    },
  };
}
