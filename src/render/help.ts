/**
 * The help reply: every command with a one-line explanation, written with
 * the repository's command word, and the repository's effective settings
 * (jules.yml with defaults filled in) as a table.
 */
import { describeEffectiveConfig } from "../config/describe.ts";
import { CONFIG_PATH, type RepoConfig } from "../config/repo-config.ts";
import { cell, code, commandWord, tableSafe } from "./escape.ts";
import { commentMarker } from "./markers.ts";

export interface HelpInput {
  config: RepoConfig;
}

export function commandTable(command: string): string {
  const c = `/${commandWord(command)}`;
  const rows: [string, string][] = [
    [`${c}`, "Start a task from this issue as it is written."],
    [`${c} <what to do>`, "Start a task with your instruction; the issue is context."],
    [`${c} --base <branch> <what to do>`, "The same, with the pull request based on another branch."],
    [`${c} ask <question>`, "Answer a question from the repository's code (on a pull request: about its changes); changes nothing, needs no approval."],
    ["/approve [note]", "Approve the latest plan, so the work starts."],
    ["/revise <feedback>", "Ask for a new plan that takes your feedback into account."],
    [`${c} <message>`, "While the task works: a message the agent reads at its next turn (while it is paused: once it resumes)."],
    ["/cancel [reason]", "Stop the task that is under way."],
    [`${c} pause`, "Stop a working task at its next turn, keeping its work."],
    [`${c} fix-ci`, "On a pull request I opened: fix the checks that fail on its latest commit (their output and logs are what I work from)."],
    [`${c} resume [budget]`, 'Go on with a paused task, with more budget if given ("$2", "20 turns", "30 minutes", "100k tokens").'],
    [`${c} status`, "Post where the task stands."],
    [`${c} help`, "Show this help."],
  ];
  return ["| Command | What it does |", "| --- | --- |", ...rows.map(([cmd, what]) => `| \`${cmd}\` | ${what} |`)].join("\n");
}

export function settingsTable(config: RepoConfig): string {
  const rows = describeEffectiveConfig(config).map((row) => {
    const value = row.value === null ? `_not set_ (${cell(row.unset, 200)})` : tableSafe(code(row.value, 200));
    return `| \`${row.key}\` | ${value} | ${cell(row.description, 300)} |`;
  });
  return ["| Key | Value | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** The help without marker and heading, for replies that end with it. */
export function helpBody(config: RepoConfig): string {
  const c = `/${commandWord(config.command)}`;
  return [
    commandTable(config.command),
    [
      `Write a command at the start of a line, outside quotes and code. Only people with write access (role admin, maintain or write) can use them.`,
      `\`${c} approve\`, \`${c} revise\` and \`${c} cancel\` work too. Adding the ${code(config.label)} label to an issue also starts a task.`,
      config.approval === "auto"
        ? "Plans are approved automatically here (`approval: auto`): work starts as soon as the plan is posted."
        : `Nothing is changed before a plan is approved${config.approvers === "others" ? " by someone other than the person who asked (four-eyes rule)" : ""}.`,
    ].join("\n"),
    `#### Settings for this repository\nFrom \`${CONFIG_PATH}\` on the default branch, with defaults where a key is not set.\n\n${settingsTable(config)}`,
  ].join("\n\n");
}

export function renderHelp({ config }: HelpInput): string {
  return `${commentMarker("help")}\n### OpenJules: commands\n\n${helpBody(config)}\n`;
}
