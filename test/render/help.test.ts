import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { commandTable, renderHelp } from "../../src/render/help.ts";
import { defaultRepoConfig, RepoConfigSchema } from "../../src/config/repo-config.ts";

describe("renderHelp", () => {
  it("lists every command with the configured word", () => {
    assert.equal(
      commandTable("bot"),
      `| Command | What it does |
| --- | --- |
| \`/bot\` | Start a task from this issue as it is written. |
| \`/bot <what to do>\` | Start a task with your instruction; the issue is context. |
| \`/bot --base <branch> <what to do>\` | The same, with the pull request based on another branch. |
| \`/bot ask <question>\` | Answer a question from the repository's code (on a pull request: about its changes); changes nothing, needs no approval. |
| \`/approve [note]\` | Approve the latest plan, so the work starts. |
| \`/revise <feedback>\` | Ask for a new plan that takes your feedback into account. |
| \`/bot <message>\` | While the task works: a message the agent reads at its next turn (while it is paused: once it resumes). |
| \`/cancel [reason]\` | Stop the task that is under way. |
| \`/bot pause\` | Stop a working task at its next turn, keeping its work. |
| \`/bot fix-ci\` | On a pull request I opened: fix the checks that fail on its latest commit (their output and logs are what I work from). |
| \`/bot resume [budget]\` | Go on with a paused task, with more budget if given ("$2", "20 turns", "30 minutes", "100k tokens"). |
| \`/bot status\` | Post where the task stands. |
| \`/bot help\` | Show this help. |`,
    );
  });

  it("explains the rules and shows the effective settings as a table", () => {
    const body = renderHelp({ config: defaultRepoConfig() });
    assert.ok(body.startsWith("<!-- openjules:help -->\n### OpenJules: commands\n\n| Command |"));
    assert.match(body, /Only people with write access \(role admin, maintain or write\) can use them\./);
    assert.match(body, /`\/jules approve`, `\/jules revise` and `\/jules cancel` work too\. Adding the `jules` label to an issue also starts a task\./);
    assert.match(body, /^Nothing is changed before a plan is approved\.$/m);
    assert.match(
      body,
      /^\| `approval` \| `required` \| `required`: a writer must `\/approve` the plan before any code is changed\. `auto`: work starts as soon as the plan is posted\. \|$/m,
    );
    assert.match(body, /^\| `test` \| _not set_ \(detected\) \| /m);
    assert.match(body, /^\| `deny_paths` \| `\[".github\/workflows\/\*\*",".github\/actions\/\*\*",/m);
    assert.match(body, /^\| `budgets\.max_turns` \| _not set_ \(the operator's cap\) \| /m);
  });

  it("reflects the repository's own settings", () => {
    const config = RepoConfigSchema.parse({ command: "bot", label: "ai-task", approval: "auto", test: "make test | tee log", budgets: { max_turns: 9 } });
    const body = renderHelp({ config });
    assert.match(body, /Adding the `ai-task` label/);
    assert.match(body, /Plans are approved automatically here \(`approval: auto`\)/);
    assert.match(body, /^\| `test` \| `make test \\\| tee log` \| /m);
    assert.match(body, /^\| `budgets\.max_turns` \| `9` \| /m);
    const fourEyes = renderHelp({ config: RepoConfigSchema.parse({ approvers: "others" }) });
    assert.match(fourEyes, /Nothing is changed before a plan is approved by someone other than the person who asked \(four-eyes rule\)\./);
  });
});
