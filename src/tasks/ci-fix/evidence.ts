import type { CheckAnnotation, CheckRunInfo, GitHubGateway, JobLog, RepoId } from "../../github/port.ts";
import { FAILED_CONCLUSIONS, OWN_CHECK } from "../../github/ci-events.ts";
import { httpStatus } from "../../github/http-status.ts";
import { trimOutput } from "../../sandbox/trim-output.ts";
import { redactSecrets } from "../../security/redact.ts";
import { sanitizeUntrusted } from "../../security/sanitize.ts";

/**
 * What failed on a pull request's head commit, read from GitHub: the failing
 * check runs (not OpenJules's own), each with its output and annotations
 * (Checks API) and, for a GitHub Actions job, the end of its log around the
 * failure (the log download, cleaned of terminal escapes and timestamps).
 * Turned into one text for the agent (`evidenceText`): sanitized, redacted and
 * capped; the agent gets it delimited as untrusted data (CI output can say
 * anything).
 */

const MAX_CHECKS = 6;
const MAX_ANNOTATIONS = 20;
/** Bytes of a job's log downloaded at most (its end). */
export const LOG_TAIL_BYTES = 512 * 1024;
const LOG_CHARS = 6_000;
const OUTPUT_CHARS = 2_500;
export const MAX_EVIDENCE_CHARS = 16_000;

export interface FailingCheck {
  id: number;
  name: string;
  /** The app that ran it, e.g. `github-actions`. */
  app: string | null;
  conclusion: string;
  url: string;
  title: string | null;
  summary: string | null;
  text: string | null;
  annotations: CheckAnnotation[];
  /** The GitHub Actions job it is, when it is one. */
  jobId: number | null;
  /** The end of that job's log around the failure, cleaned; null when not a job or the log is gone. */
  log: string | null;
  /** Why the job's log could not be read (GitHub refused it: no `actions: read`), or null. */
  logError?: string | null;
}

/** Whether a check run is OpenJules's own (its app, or its test check's name): those are never fixed from CI. */
export function isOwnCheck(run: Pick<CheckRunInfo, "name" | "app">, ownSlug: string | null): boolean {
  return run.name === OWN_CHECK || (ownSlug !== null && run.app?.slug === ownSlug);
}

/** The completed check runs that failed, OpenJules's own left out. */
export function failingRuns(runs: readonly CheckRunInfo[], ownSlug: string | null): CheckRunInfo[] {
  return runs.filter((r) => r.status === "completed" && r.conclusion !== null && FAILED_CONCLUSIONS.includes(r.conclusion) && !isOwnCheck(r, ownSlug));
}

/** The job id of a GitHub Actions check run (its details address names it; the check run's id is the job's). */
export function actionsJobId(run: Pick<CheckRunInfo, "id" | "app" | "detailsUrl">): number | null {
  if (run.app?.slug !== "github-actions") return null;
  const named = run.detailsUrl ? /\/job\/(\d+)(?:[/?#]|$)/.exec(run.detailsUrl) : null;
  return named ? Number(named[1]) : run.id;
}

/** Reads what each failing run said: annotations when it has some, and a GitHub Actions job's log. */
export async function readFailures(gh: GitHubGateway, repo: RepoId, failing: readonly CheckRunInfo[]): Promise<FailingCheck[]> {
  return Promise.all(
    failing.slice(0, MAX_CHECKS).map(async (run) => {
      const jobId = actionsJobId(run);
      let logError: string | null = null;
      // A refused log (an installation without `actions: read`) leaves the check's own output to go on.
      const log =
        jobId === null
          ? null
          : await gh.jobLog(repo, jobId, LOG_TAIL_BYTES).catch((error: unknown) => {
              logError = refusal(error);
              return null;
            });
      const annotations = run.output.annotationsCount > 0 ? await gh.checkRunAnnotations(repo, run.id, MAX_ANNOTATIONS) : [];
      return {
        id: run.id,
        name: run.name,
        app: run.app?.slug ?? null,
        conclusion: run.conclusion ?? "failure",
        url: run.url,
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations,
        jobId,
        log: log ? logExcerpt(log) : null,
        logError,
      };
    }),
  );
}

/** Why GitHub refused a job's log, in a few words; anything but a refusal is thrown on (retried by the job). */
function refusal(error: unknown): string {
  const status = httpStatus(error);
  if (status === 403 || status === 401) return `GitHub answered ${status} (the app may lack the actions: read permission on this installation)`;
  throw error;
}

const TIMESTAMP = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
const LINES_BEFORE_ERROR = 150;
const LINES_AFTER_ERROR = 0;

/**
 * The part of a GitHub Actions log that explains the failure: timestamps and
 * terminal escapes removed, the lines up to a few after the last `##[error]`
 * (the runner's failure marker; the post-job clean-up after it says nothing),
 * then cut to the blocks around failure markers and the last lines. Pure.
 */
export function logExcerpt(log: JobLog, maxChars = LOG_CHARS): string {
  const lines = log.text.split(/\r?\n/).map((l) => l.replace(TIMESTAMP, ""));
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.includes("##[error]")) {
      end = Math.min(lines.length, i + 1 + LINES_AFTER_ERROR);
      break;
    }
  }
  const start = Math.max(0, end - LINES_BEFORE_ERROR);
  const window = lines
    .slice(start, end)
    .filter((l) => !l.startsWith("##[endgroup]"))
    .map((l) => l.replace(/^##\[group\]/, "▸ ").replace(/^##\[error\]/, "Error: "))
    .join("\n");
  const cut = trimOutput(window, maxChars).trim();
  return start > 0 || log.truncated ? `(earlier lines of the log left out)\n${cut}` : cut;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const fence = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
};

/** The checks that failed and what they said, as the agent gets it (inside its untrusted-data delimiters): sanitized, redacted, capped. */
export function evidenceText(failures: readonly FailingCheck[], headSha: string, secrets: readonly string[] = []): string {
  const parts = [`These checks failed on commit ${headSha.slice(0, 12)}, the pull request's head:`];
  for (const f of failures) {
    const section = [`## ${f.name} (${f.app ?? "unknown app"}: ${f.conclusion})`];
    if (f.title) section.push(`Title: ${clip(f.title, 300)}`);
    if (f.summary) section.push(`Summary:\n${clip(f.summary, OUTPUT_CHARS)}`);
    if (f.text) section.push(`Details:\n${clip(f.text, OUTPUT_CHARS)}`);
    if (f.annotations.length > 0) {
      const lines = f.annotations.map((a) => {
        const where = a.endLine > a.startLine ? `${a.path}:${a.startLine}-${a.endLine}` : `${a.path}:${a.startLine}`;
        return `- ${where} (${a.level})${a.title ? ` ${clip(a.title, 200)}:` : ":"} ${clip(a.message.replace(/\s+/g, " "), 500)}`;
      });
      section.push(`Annotations:\n${lines.join("\n")}`);
    }
    if (f.log) section.push(`The end of the job's log:\n${fence(f.log)}`);
    else if (f.logError) section.push(`(The job's log could not be read: ${f.logError}.)`);
    if (section.length === 1) section.push("(It said nothing more: no output, annotations or log.)");
    parts.push(section.join("\n\n"));
  }
  const text = sanitizeUntrusted(redactSecrets(parts.join("\n\n"), secrets));
  return text.length <= MAX_EVIDENCE_CHARS ? text : `${text.slice(0, MAX_EVIDENCE_CHARS - 40)}\n… (the rest was left out)`;
}
