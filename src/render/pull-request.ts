/**
 * The pull request OpenJules opens, as text: its title (from the instruction
 * or the issue title, one short line), its body (a hidden marker, a warning
 * when the tests fail, the agent's summary, the approved plan, the files
 * changed, the test results with their output folded away, the usage line,
 * and `Fixes #<issue>` for tasks started from an issue; without an issue, who
 * asked and through which face), and the output of
 * the "OpenJules tests" check run. Pure; every text from the model, the
 * thread or the tests is neutralised and cut so the body fits GitHub's limit.
 */
import type { TestReport } from "../domain/test-report.ts";
import type { Plan, Task, Usage } from "../domain/model.ts";
import type { LeftOutPath } from "../domain/left-out.ts";
import { block, code, inline, link, neutralize, user } from "./escape.ts";
import { formatCount } from "./format.ts";
import { clip, fitComment, scaled } from "./limits.ts";
import { commentMarker } from "./markers.ts";
import { hasUsage, renderUsage } from "./usage.ts";

export interface ChangedPath {
  path: string;
  status: string;
}

export interface PullRequestBodyInput {
  task: Task;
  plan: Plan;
  /** The agent's account of what changed and why. */
  summary: string;
  tests: TestReport;
  files: readonly ChangedPath[];
  /** Paths left out of the commit (what setup, the tests or unkept commands made; nested repositories, submodule directories), and why. */
  leftOut?: readonly LeftOutPath[];
  /** The whole task's usage (planning, revisions and execution), the same count as the status comment's. */
  usage: Usage | null;
  /** The task's page in the web app (JULES_PUBLIC_URL set): linked in the footer. */
  taskPage?: string | null;
}

export const TITLE_MAX = 72;
const MAX_FILES = 100;
const MAX_STEPS = 50;
/** GitHub's limit for a check run's summary and text. */
const CHECK_TEXT_LIMIT = 65_535;

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Pure: "fix the crash when the config file is empty" → "Fix the crash when the
 * config file is empty": the instruction's first line (else the issue title),
 * control and invisible characters removed, at most 72 characters cut at a
 * word. Plain text: it is also the commit subject.
 */
export function pullRequestTitle(task: Pick<Task, "instruction" | "issueTitle" | "issueNumber">): string {
  const firstLine = (text: string) =>
    text
      .split(/\r?\n/)
      .map((l) => l.replace(UNSAFE, " ").replace(/\s+/g, " ").trim())
      .find((l) => l !== "") ?? "";
  const line = firstLine(task.instruction) || firstLine(task.issueTitle) || (task.issueNumber === null ? "Changes by OpenJules" : `Changes for #${task.issueNumber}`);
  const text = line.charAt(0).toUpperCase() + line.slice(1);
  if (text.length <= TITLE_MAX) return text;
  const cut = text.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > TITLE_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Text in a code block its own backticks cannot close. */
export function fenced(text: string, max: number): string {
  const body = clip(neutralize(text).trimEnd(), max); // not /\s+$/: quadratic on inner whitespace
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${body}\n${fence}`;
}

/** One line on the test result. */
export function testVerdict(tests: TestReport): string {
  if (tests.command === null) return "⚠️ No test command was found, so no tests ran. Name one with `test:` in `.github/jules.yml`.";
  if (tests.passed === true) return `✅ ${code(tests.command)} passed.`;
  if (tests.passed === false) return `❌ ${code(tests.command)} failed.`;
  if (tests.environment) return `⚠️ ${code(tests.command)} could not run: ${inline(tests.environment.problem, 500)}`;
  return `⚠️ ${code(tests.command)} did not run to the end.`;
}

/** The verdict, for an environment problem what to do about it (no code change fixes it), and the Node the tests ran on when one is declared. */
function verdictAndHint(tests: TestReport): string {
  const verdict = testVerdict(tests);
  const fix = tests.environment ? `\n\n**To fix the environment:** ${inline(tests.environment.hint, 1500)}` : "";
  return `${verdict}${fix}${tests.toolchain ? `\n\nRan on ${inline(tests.toolchain, 300)}.` : ""}`;
}

function testSection(tests: TestReport, scale: number): string {
  const verdict = verdictAndHint(tests);
  if (tests.summary.trim() === "") return verdict;
  const open = tests.passed === false ? " open" : "";
  return `${verdict}\n\n<details${open}>\n<summary>Test output</summary>\n\n${fenced(tests.summary, scaled(20_000, scale, 500))}\n\n</details>`;
}

function planSection(task: Task, plan: Plan, scale: number): string {
  const steps = plan.steps.slice(0, MAX_STEPS).map((step, i) => {
    const files =
      step.files.length > 0
        ? `\n   Files: ${step.files
            .slice(0, 20)
            .map((f) => code(f, 200))
            .join(", ")}`
        : "";
    return `${i + 1}. ${inline(step.title, scaled(300, scale))}${files}`;
  });
  if (plan.steps.length > MAX_STEPS) steps.push(`… and ${plan.steps.length - MAX_STEPS} more steps`);
  const approved = task.approvalKind !== "auto" && task.approvedBy ? `approved by ${user(task.approvedBy)}` : "approved automatically (`approval: auto` in `.github/jules.yml`)";
  const verification = block(plan.verification, scaled(2000, scale, 100));
  return [
    `<details>\n<summary>The plan (${approved})</summary>`,
    block(plan.summary, scaled(4000, scale, 200)) || "_No summary given._",
    steps.join("\n") || "_No steps given._",
    verification ? `**Verification:**\n${verification}` : null,
    "</details>",
  ]
    .filter((part): part is string => part !== null)
    .join("\n\n");
}

function filesSection(files: readonly ChangedPath[]): string {
  if (files.length === 0) return "_No files changed._";
  const lines = files.slice(0, MAX_FILES).map((f) => `- ${code(f.path, 300)} (${inline(f.status.replace(/_/g, " "), 20)})`);
  if (files.length > MAX_FILES) lines.push(`- … and ${formatCount(files.length - MAX_FILES)} more files`);
  return lines.join("\n");
}

const LEFT_OUT_WHY: Record<LeftOutPath["reason"], string> = {
  nested_repository: "a nested git repository made during the task; OpenJules never commits those (as submodule links or otherwise)",
  submodule: "a submodule's directory; OpenJules never changes submodules, the link stays as on the base branch",
  setup: "made by the setup command; what setup installs is never committed",
  tests: "made by the test run; what the tests leave behind is never committed",
  agent_command: "made by a command the agent ran to check its work, which it did not keep",
  ignored: "written by the agent, but the repository's .gitignore ignores it",
  unrecorded: "changed in the working copy by none of the agent's tools",
};

function leftOutSection(leftOut: readonly LeftOutPath[], where = "this pull request"): string | null {
  if (leftOut.length === 0) return null;
  const lines = leftOut
    .slice(0, MAX_FILES)
    .map((p) => `- ${code(p.path, 300)}: ${LEFT_OUT_WHY[p.reason]}${p.undone ? " (it changed a file of this branch, which was put back)" : ""}`);
  if (leftOut.length > MAX_FILES) lines.push(`- … and ${formatCount(leftOut.length - MAX_FILES)} more`);
  return `### Left out\n\nThese paths were changed in the working copy but are not in ${where}:\n\n${lines.join("\n")}`;
}

const FACE_WORDS: Record<Task["face"], string> = {
  thread: "a comment",
  api: "the OpenJules API",
  cli: "the OpenJules CLI",
  mcp: "the OpenJules MCP server",
  web: "the OpenJules web app",
  system: "OpenJules",
};

/** Who asked, and where: the issue's number, or the face a task without an issue came through. */
function requestedLine(task: Pick<Task, "requestedBy" | "issueNumber" | "face">): string {
  const by = task.requestedBy === "operator" ? "the operator" : user(task.requestedBy);
  return task.issueNumber === null ? `Requested by ${by} through ${FACE_WORDS[task.face]}` : `Requested by ${by} in #${task.issueNumber}`;
}

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const { task, plan, tests, usage } = input;
  return fitComment((scale) => {
    const footer = [
      hasUsage(usage) ? `Usage of the whole task (planning included): ${renderUsage(usage)}` : null,
      requestedLine(task),
      input.taskPage ? link("task page", input.taskPage) : null,
      "Opened by OpenJules",
    ].filter((part): part is string => part !== null);
    return (
      [
        commentMarker("pull-request", task.id),
        tests.passed === false
          ? "> [!WARNING]\n> **The tests fail on this branch.** It was opened as a draft so the work is not lost; it needs changes before it can be merged."
          : null,
        `### Summary\n\n${block(input.summary, scaled(8000, scale, 200)) || "_No summary given._"}`,
        `### Plan\n\n${planSection(task, plan, scale)}`,
        `### What changed\n\n${filesSection(input.files)}`,
        leftOutSection(input.leftOut ?? []),
        `### Tests\n\n${testSection(tests, scale)}`,
        `---\n<sub>${footer.join(" · ")}</sub>`,
        task.kind === "issue" && task.issueNumber !== null ? `Fixes #${task.issueNumber}` : null,
      ]
        .filter((part): part is string => part !== null)
        .join("\n\n") + "\n"
    );
  });
}

export interface CheckRunOutput {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  text?: string;
}

/** The "OpenJules tests" check run: success, failure, or neutral when no tests ran. */
/**
 * The check run on the pushed commit. It also lists the paths left out of that commit, so a follow-up that pushes
 * to an existing pull request (whose description is not rewritten) still says what it left out and why.
 */
export function checkRunOutput(tests: TestReport, leftOut: readonly LeftOutPath[] = []): CheckRunOutput {
  const conclusion = tests.passed === true ? "success" : tests.passed === false ? "failure" : "neutral";
  const title = conclusion === "success" ? "Tests passed" : conclusion === "failure" ? "Tests failed" : tests.environment ? "Tests could not run" : "No test result";
  const left = leftOutSection(leftOut, "this commit");
  const summary = `${verdictAndHint(tests)}\n\nRun by OpenJules in its sandbox (no network, no secrets).${left ? `\n\n${left}` : ""}`;
  const output = tests.summary.trim() === "" ? undefined : fenced(tests.summary, CHECK_TEXT_LIMIT - 100);
  return output === undefined ? { conclusion, title, summary } : { conclusion, title, summary, text: output };
}
