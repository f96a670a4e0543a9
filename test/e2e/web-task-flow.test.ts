/**
 * The web app's main flow in a real browser (Debian's Chromium through
 * playwright-core) against a real OpenJules server (test/helpers/web-e2e.ts:
 * the GitHub stand-in with the OAuth web flow over HTTP, a real git server,
 * the scripted model, the real sandbox): sign in through GitHub's authorize
 * redirect, start a task on a repository and a branch other than the default
 * from the New task page with a model of the allowed ones, see the plan
 * arrive live, approve it with the button, watch the states and the
 * command's output arrive live, read the diff (diff2html) and the test
 * results, follow the pull request link, and hear the spoken summary (the
 * server's WAV through the page's <audio>). Each page passes axe-core
 * without a serious violation, and screenshots of them (desktop and phone)
 * are written to test-artifacts/screenshots/ (and docs/screenshots/ when
 * SCREENSHOTS_FOR_DOCS=1, for the README).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCommits } from "../helpers/git/repo.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { seriousViolations, screenshot, watch } from "../helpers/browser.ts";
import { startWebWorld, valueFiles, valueScript, type WebWorld } from "../helpers/web-e2e.ts";

const REPO = "octo-org/app";
const MARKER = "flow-task-7f3a";
const INSTRUCTION = `Make the value 42 so the test passes (${MARKER}).`;

let world: WebWorld;

beforeAll(async () => {
  world = await startWebWorld({
    users: [{ login: "alice", installations: [{ id: 1, appId: 1, repositories: [REPO, "octo-org/docs"] }] }],
    repositories: {
      [REPO]: [{ files: valueFiles(), message: "initial" }],
      "octo-org/docs": [{ files: { "README.md": "# Docs\n" }, message: "initial" }],
    },
    // The model holds its edit a moment once the command has run: the page shows the command while the task works.
    scripts: [valueScript(MARKER, { holdMs: 5000, holdStep: 1 })],
  });
  // A second branch, from main, with a commit of its own: the task starts there.
  const bare = world.git.repoPath("octo-org", "app");
  await gitOut(bare, "branch", "develop", "main");
  await addCommits(bare, [{ branch: "develop", files: { "NOTES.md": "Work in progress.\n" }, message: "notes on develop" }]);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** Records each text the element matching `selector` shows, from now on (a change the page makes without a reload). */
async function recordTexts(page: Page, selector: string): Promise<void> {
  await page.evaluate(`(() => {
    window.__seen = [];
    const note = () => {
      const el = document.querySelector(${JSON.stringify(selector)});
      const text = el ? el.textContent : null;
      if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}
const seenTexts = (page: Page) => page.evaluate<string[]>("window.__seen");

describe("the web app: from sign-in to a pull request", { timeout: 240_000 }, () => {
  it("signs in, starts a task on a branch, approves its plan live, and shows the work, diff, tests, pull request and spoken summary", async () => {
    const page = await world.signIn("alice");
    const problems = watch(page);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Tasks");
    expect(world.oauth.authorizations.at(-1)?.redirectUri).toBe(`${world.base}/app/auth/callback`);
    await page.getByText("No tasks yet.").waitFor();

    // New task: the repository found by searching, a branch other than the default, the model.
    await page.getByRole("link", { name: "New task", exact: true }).first().click();
    await page.getByRole("heading", { name: "New task" }).waitFor();
    await page.getByLabel("Search repositories").fill("app");
    await expect.poll(() => page.getByLabel("Repository", { exact: true }).locator("option").allTextContents()).toEqual([REPO]);
    const branch = page.getByLabel("Branch");
    await expect.poll(() => branch.locator("option").allTextContents()).toEqual(["main (default)", "develop"]);
    await branch.selectOption("develop");
    await page.getByLabel("What should OpenJules do?").fill(INSTRUCTION);
    const model = page.getByLabel("Model");
    expect(await model.locator("option").allTextContents()).toEqual(["Default (openai:gpt-4o)", "openai:gpt-4o-mini"]);
    await model.selectOption("openai:gpt-4o-mini");
    // The repository's effective settings, before starting.
    await page.getByRole("heading", { name: `Settings for ${REPO}` }).waitFor();
    await expect.poll(() => page.locator("#effective-settings-title").locator("..").locator("..").textContent()).toContain("a writer approves the plan");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "new-task", { docs: true });
    await screenshot(page, "new-task", { phone: true });

    await page.getByRole("button", { name: "Start task" }).click();
    await page.waitForURL(/\/app\/tasks\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    const task = await world.app.store.get(id);
    expect(task).toMatchObject({ owner: "octo-org", repo: "app", baseBranch: "develop", instruction: INSTRUCTION, requestedBy: "alice" });

    // From here the page is never reloaded: what changes arrives over the event stream.
    await recordTexts(page, "main p.mt-2 > span:nth-of-type(2)");
    await page.evaluate("window.__samePage = true");

    // The plan arrives live, with Approve.
    const plan = page.locator("section", { has: page.getByRole("heading", { name: "Plan" }) });
    await plan.getByText("Set the value to 42 so the test passes.").waitFor({ timeout: 120_000 });
    expect(await plan.getByText("Write 42 into src/value.txt").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("The task is waiting for approval of its plan.").count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "plan", { docs: true });
    await plan.getByRole("button", { name: "Approve" }).click();

    // States and the command arrive live while the worker runs.
    const activity = page.getByRole("list", { name: "Activity" });
    const command = activity.locator("li", { hasText: "$ cat src/value.txt && echo checked-the-value" });
    await command.waitFor({ timeout: 120_000 });
    await expect.poll(() => command.textContent(), { timeout: 60_000 }).toMatch(/exit 0/);
    expect(await page.getByText("The task is working on the changes.").count()).toBe(1);
    await command.getByText(/^Output \(\d+ lines?\)$/).click();
    expect(await command.locator("pre").textContent()).toBe("41\nchecked-the-value\n");
    await page.getByText("The task is done.").waitFor({ timeout: 120_000 });
    expect(await page.evaluate("window.__samePage")).toBe(true);
    const states = await seenTexts(page);
    for (const words of ["The task is waiting for approval of its plan.", "The task is working on the changes.", "The task is done."]) expect(states).toContain(words);
    expect(states.indexOf("The task is working on the changes.")).toBeLessThan(states.indexOf("The task is done."));
    expect(await activity.getByText("approved", { exact: true }).count()).toBeGreaterThan(0);

    // The model asked for was used, on the branch asked for.
    const asked = world.llm.requests.filter((r) => JSON.stringify(r.body).includes(MARKER));
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked.map((r) => r.body.model))).toEqual(new Set(["gpt-4o-mini"]));
    const done = (await world.app.store.get(id))!;
    expect(done.state).toBe("done");
    expect(await world.show(REPO, done.branch!, "NOTES.md")).toBe("Work in progress.");
    expect(await world.show(REPO, done.branch!, "src/value.txt")).toBe("42");

    // The diff, file by file (diff2html), and the test results.
    const diff = page.getByTestId("diff");
    await diff.locator(".d2h-file-name", { hasText: "src/value.txt" }).first().waitFor();
    expect(await diff.locator(".d2h-del").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("41")]));
    expect(await diff.locator(".d2h-ins").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("42")]));
    expect(await diff.textContent()).not.toContain("NOTES.md");
    const tests = page.getByRole("list", { name: "Test runs" });
    const run = tests.locator("li").filter({ hasText: "$ sh test.sh" }).last();
    expect(await run.textContent()).toMatch(/^Passed\s*\$ sh test\.sh \(exit 0/);
    await run.getByText(/^Full output/).click();
    expect(await run.locator("pre").last().textContent()).toContain("1 passed, 0 failed");

    // The pull request: its link is the PR's html_url, and following it goes there.
    const pull = world.github.pulls.find((p) => p.head === done.branch)!;
    expect(pull).toMatchObject({ owner: "octo-org", repo: "app", base: "develop" });
    const htmlUrl = `https://github.com/octo-org/app/pull/${pull.number}`;
    expect(done.pullRequestUrl).toBe(htmlUrl);
    const link = page.getByRole("link", { name: `Open the pull request #${pull.number}` });
    expect(await link.getAttribute("href")).toBe(htmlUrl);

    // The spoken summary: the server's WAV plays in the page's <audio>, beside its text.
    const summary = page.locator("section", { has: page.getByRole("heading", { name: "Summary" }) });
    await summary.locator("#summary-text").waitFor();
    expect(await summary.locator("#summary-text").textContent()).toMatch(/pull request/i);
    const audio = summary.locator("audio");
    expect(await audio.getAttribute("src")).toBe(`/api/v1/tasks/${encodeURIComponent(id)}/summary/audio`);
    const duration = await audio.evaluate(
      (el: any) =>
        new Promise<number>((resolve, reject) => {
          el.addEventListener("loadedmetadata", () => resolve(el.duration));
          el.addEventListener("error", () => reject(new Error(`audio error ${el.error?.code}`)));
          el.preload = "auto";
          el.load();
        }),
    );
    expect(duration).toBeGreaterThan(0);
    expect(Number.isFinite(duration)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "task", { docs: true });
    await screenshot(page, "task", { phone: true });
    await screenshot(page, "task-activity", { docs: true, at: command });
    await screenshot(page, "task-changes", { docs: true, at: page.getByRole("heading", { name: "Changes" }) });

    // The list shows it, done, with its pull request.
    await page.route("https://github.com/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>The pull request on GitHub</title>" }));
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: INSTRUCTION.slice(0, 40) });
    await row.waitFor();
    expect(await row.getByText("done").count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${world.base}/app/tasks/${encodeURIComponent(id)}`);
    await link.click();
    await page.waitForURL(htmlUrl);
    expect(await page.title()).toBe("The pull request on GitHub");

    expect(problems.map((p) => `${p.text} ${p.url}`)).toEqual([]);
    expect(world.github.violations).toEqual([]);
    await page.context().close();
  });
});
