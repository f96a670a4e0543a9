import type { ProbotOctokit } from "probot";
import { httpStatus } from "./http-status.ts";
import type { CheckAnnotation, CheckRunInfo, JobLog, PullCommit, RepoId } from "./port.ts";

/**
 * What CI fixing reads of GitHub (the GitHub port's check-run, annotation,
 * job-log and pull-request-commit methods), over the installation's Octokit.
 * The job log's download follows GitHub's redirect by hand: the address it
 * names is short-lived and signed, so it is fetched without the installation
 * token, with a time limit, and only the end of the log is kept while it streams.
 */

type Octokit = InstanceType<typeof ProbotOctokit>;

const MAX_CHECK_RUNS = 300;
const MAX_COMMITS = 250;
/** Bytes read from a log download at most (a log is cut there; its end is what explains a failure). */
export const MAX_LOG_DOWNLOAD_BYTES = 64 * 1024 * 1024;
const LOG_DOWNLOAD_MS = 60_000;

export async function listCheckRuns(octokit: Octokit, repo: RepoId, ref: string): Promise<CheckRunInfo[]> {
  const runs: CheckRunInfo[] = [];
  const params = { owner: repo.owner, repo: repo.repo, ref, filter: "latest" as const, per_page: 100 };
  for await (const page of octokit.paginate.iterator(octokit.rest.checks.listForRef, params)) {
    for (const run of page.data) {
      runs.push({
        id: run.id,
        name: run.name,
        headSha: run.head_sha,
        status: run.status,
        conclusion: run.conclusion,
        app: run.app ? { id: run.app.id, slug: run.app.slug ?? null } : null,
        url: run.html_url ?? run.url,
        detailsUrl: run.details_url ?? null,
        completedAt: run.completed_at,
        output: { title: run.output.title, summary: run.output.summary, text: run.output.text, annotationsCount: run.output.annotations_count },
      });
    }
    if (runs.length >= MAX_CHECK_RUNS) break;
  }
  return runs.slice(0, MAX_CHECK_RUNS);
}

export async function listAnnotations(octokit: Octokit, repo: RepoId, checkRunId: number, max: number): Promise<CheckAnnotation[]> {
  const { data } = await octokit.rest.checks.listAnnotations({ owner: repo.owner, repo: repo.repo, check_run_id: checkRunId, per_page: Math.min(Math.max(max, 1), 100) });
  return data.slice(0, max).map((a) => ({
    path: a.path,
    startLine: a.start_line,
    endLine: a.end_line,
    level: a.annotation_level ?? "failure",
    title: a.title,
    message: a.message ?? "",
  }));
}

export async function listPullCommits(octokit: Octokit, repo: RepoId, pullNumber: number): Promise<PullCommit[]> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { owner: repo.owner, repo: repo.repo, pull_number: pullNumber, per_page: 100 });
  return commits.slice(0, MAX_COMMITS).map((c) => ({
    sha: c.sha,
    author: c.author?.login ?? c.commit.author?.name ?? "unknown",
    committer: c.committer?.login ?? c.commit.committer?.name ?? "unknown",
  }));
}

/** GET .../actions/jobs/{id}/logs answers 302 with the download address; the download's end is kept. */
export async function downloadJobLog(octokit: Octokit, repo: RepoId, jobId: number, maxBytes: number): Promise<JobLog | null> {
  let location: string | undefined;
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs", {
      owner: repo.owner,
      repo: repo.repo,
      job_id: jobId,
      request: { redirect: "manual" },
    });
    location = headerValue(response.headers as Record<string, unknown>, "location");
    // A server that answers with the log itself (no redirect) is taken at its word.
    if (!location && typeof response.data === "string") return keepEnd(Buffer.from(response.data, "utf8"), maxBytes, false);
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 410) return null;
    throw error;
  }
  if (!location) throw new Error(`GitHub answered the log request for job ${jobId} without a download address.`);
  const url = new URL(location);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`GitHub's log download address for job ${jobId} is not a web address.`);
  const response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(LOG_DOWNLOAD_MS) });
  if (response.status === 404 || response.status === 410) return null;
  if (!response.ok || !response.body) throw new Error(`Downloading the log of job ${jobId} answered ${response.status}.`);
  return readEnd(response.body, maxBytes);
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Streams a body, keeping its last `maxBytes` (and stopping after MAX_LOG_DOWNLOAD_BYTES). */
async function readEnd(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<JobLog> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let read = 0;
  let dropped = false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      kept += value.byteLength;
      read += value.byteLength;
      while (chunks.length > 1 && kept - chunks[0]!.byteLength >= maxBytes) {
        kept -= chunks.shift()!.byteLength;
        dropped = true;
      }
      if (read >= MAX_LOG_DOWNLOAD_BYTES) {
        dropped = true;
        break;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return keepEnd(Buffer.concat(chunks), maxBytes, dropped);
}

function keepEnd(bytes: Buffer, maxBytes: number, dropped: boolean): JobLog {
  if (bytes.byteLength <= maxBytes) return { text: bytes.toString("utf8"), truncated: dropped };
  // Cut at a line start, so no half character or half line is kept.
  const end = bytes.subarray(bytes.byteLength - maxBytes);
  const newline = end.indexOf(0x0a);
  return { text: end.subarray(newline === -1 ? 0 : newline + 1).toString("utf8"), truncated: true };
}
