/**
 * The comment on a pull request OpenJules opened that shows what it did about
 * failing checks, edited in place: one row per failing head commit (the
 * checks, what it did: an automatic attempt n of max, a person's
 * `/jules fix-ci`, the suggestion, or why it left them alone; and the outcome:
 * the follow-up's state, the commit it pushed and whether the checks passed on
 * it), then what the latest row means for the reader. Pure; check names come
 * from CI (untrusted) and are shown neutralised.
 */
import type { TaskState } from "../domain/model.ts";
import { code, commandWord, link, tableSafe, user } from "./escape.ts";
import { commentMarker } from "./markers.ts";

export interface CiFixRow {
  headSha: string;
  decision: "pending" | "started" | "suggested" | "requested" | "skipped";
  automatic: boolean;
  reason: "base" | "human" | "limit" | "busy" | null;
  /** `human`: "<login> <sha>"; `requested`: who asked. */
  detail: string | null;
  checks: { name: string; url: string; onBase: boolean }[];
  fixSha: string | null;
  verdict: "passed" | "failed" | null;
  /** The follow-up, with the address of its status comment. */
  task: { state: TaskState; url: string | null } | null;
}

export interface CiFixStatusInput {
  rows: readonly CiFixRow[];
  mode: "auto" | "ask" | "off";
  maxAttempts: number;
  command: string;
  /** The pull request's base branch. */
  base: string;
}

export const CI_FIX_MARKER = commentMarker("ci-fix");

const short = (sha: string) => code(sha.slice(0, 7));

function checksCell(row: CiFixRow): string {
  const shown = row.checks.slice(0, 6).map((c) => `${tableSafe(link(code(c.name, 80), c.url))}${c.onBase ? " (fails on the base branch too)" : ""}`);
  const more = row.checks.length > 6 ? ` and ${row.checks.length - 6} more` : "";
  return `${shown.join(", ")}${more}`;
}

function didCell(row: CiFixRow, attempt: number, input: CiFixStatusInput): string {
  const fix = `\`/${commandWord(input.command)} fix-ci\``;
  switch (row.decision) {
    case "pending":
      return "Deciding…";
    case "started":
      return `Fix attempt ${attempt} of ${input.maxAttempts} (automatic)`;
    case "requested":
      return `Fix asked for${row.detail ? ` by ${user(row.detail)}` : ""} with ${fix}`;
    case "suggested":
      return `Waiting for ${fix}`;
    case "skipped":
      switch (row.reason) {
        case "base":
          return `Left alone: they fail on ${code(input.base)} too`;
        case "human":
          return `No automatic attempt: ${row.detail ? `${user(row.detail.split(" ")[0] ?? "")} pushed` : "a person pushed"} to the branch`;
        case "limit":
          return `No automatic attempt left (${input.maxAttempts} used)`;
        default:
          return "No automatic attempt: another task was working on the pull request";
      }
  }
}

function outcomeCell(row: CiFixRow): string {
  if (row.decision !== "started" && row.decision !== "requested") return "–";
  const task = row.task;
  const status = (text: string) => (task?.url ? link(text, task.url) : text);
  if (!task) return "–";
  switch (task.state) {
    case "failed":
      return status("❌ the follow-up failed");
    case "cancelled":
      return status("🚫 cancelled");
    case "paused":
      return status("⏸️ paused");
    case "done":
      if (row.verdict === "passed" && row.fixSha) return `✅ checks pass on ${short(row.fixSha)}`;
      if (row.verdict === "failed" && row.fixSha) return `❌ checks failed again on ${short(row.fixSha)}`;
      if (row.fixSha) return `⏳ pushed ${short(row.fixSha)}, waiting for the checks`;
      return status("✅ done, without a new commit");
    default:
      return status("🔄 working on it");
  }
}

function notice(row: CiFixRow, attempt: number, input: CiFixStatusInput): string {
  const fix = `\`/${commandWord(input.command)} fix-ci\``;
  const failing = row.checks.filter((c) => !c.onBase).length;
  switch (row.decision) {
    case "pending":
      return "";
    case "suggested":
      return `${failing === 1 ? "A check fails" : "Checks fail"} on ${short(row.headSha)}. Comment ${fix} to have me try to fix ${failing === 1 ? "it" : "them"} on this branch.`;
    case "started":
      return `I started fix attempt ${attempt} of ${input.maxAttempts} on ${short(row.headSha)}${row.task?.url ? `: ${link("its status", row.task.url)}` : ""}.`;
    case "requested":
      return `A follow-up is fixing the checks that fail on ${short(row.headSha)}${row.task?.url ? `: ${link("its status", row.task.url)}` : ""}.`;
    case "skipped":
      switch (row.reason) {
        case "base":
          return `Every failing check on ${short(row.headSha)} fails on ${code(input.base)} too, at its head: that is not this pull request's doing, so I did not try to fix ${row.checks.length === 1 ? "it" : "them"} here.`;
        case "human": {
          const [login, sha] = (row.detail ?? "").split(" ");
          const who = login ? user(login) : "Someone";
          return `${who} pushed${sha ? ` ${short(sha)}` : ""} after my last commit, so I stopped fixing CI on my own while a person works on the branch. Comment ${fix} if you want me to try.`;
        }
        case "limit":
          return `I made the ${input.maxAttempts} automatic fix attempt${input.maxAttempts === 1 ? "" : "s"} this pull request gets (\`max_ci_fix_attempts: ${input.maxAttempts}\` in \`.github/jules.yml\`). Comment ${fix} to have me try again.`;
        default:
          return `Another task was working on this pull request when the checks failed. Comment ${fix} once it is done to have me try.`;
      }
  }
}

export function renderCiFixStatus(input: CiFixStatusInput): string {
  let automatic = 0;
  const attempts = input.rows.map((r) => (r.automatic ? ++automatic : 0));
  const lines = [CI_FIX_MARKER, "### 🔧 Failing checks on this pull request", "", "| Commit | Failing checks | What I did | Outcome |", "| --- | --- | --- | --- |"];
  input.rows.forEach((row, i) => {
    lines.push(`| ${short(row.headSha)} | ${checksCell(row)} | ${didCell(row, attempts[i]!, input)} | ${outcomeCell(row)} |`);
  });
  const last = input.rows.at(-1);
  const said = last ? notice(last, attempts.at(-1)!, input) : "";
  if (said) lines.push("", said);
  if (input.mode === "auto") {
    lines.push("", `<sub>\`ci_fix: auto\`: I try to fix failing checks on my own, at most ${input.maxAttempts} time${input.maxAttempts === 1 ? "" : "s"} per pull request.</sub>`);
  }
  return lines.join("\n");
}
