/**
 * Hostile task text in a real browser against a real OpenJules server
 * (test/helpers/web-e2e.ts): a task whose instruction, plan, agent output,
 * diff and summary hold `<script>alert(1)</script>`, an `<img onerror>` and
 * a markdown link to `javascript:alert(1)` is shown with all of it as text:
 * no dialog opens, no script or handler of the text runs, no element of the
 * page has a javascript: address, and the text is there, literally, to read.
 * This server runs with JULES_TTS=off: the finished task's summary is the
 * browser's speech (a Play button) beside its text, with no <audio>.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watch } from "../helpers/browser.ts";
import { startTaskInPage, startWebWorld, stateShown, valueFiles, type WebWorld } from "../helpers/web-e2e.ts";

const REPO = "octo-org/app";
const MARKER = "hostile-task-2b9e";
const SCRIPT = "<script>alert(1)</script>";
const LINK = "[x](javascript:alert(1))";
const IMG = '<img src=x onerror="window.__pwned=1">';
const HOSTILE = `${SCRIPT} ${LINK} ${IMG}`;

let world: WebWorld;

beforeAll(async () => {
  world = await startWebWorld({
    users: [{ login: "alice", installations: [{ id: 1, appId: 1, repositories: [REPO] }] }],
    repositories: { [REPO]: [{ files: valueFiles(), message: "initial" }] },
    scripts: [
      {
        marker: MARKER,
        plan: {
          summary: `Set the value to 42. ${HOSTILE}`,
          steps: [{ title: `Write 42 ${SCRIPT}`, files: ["src/value.txt"], detail: `See ${LINK}` }],
          risks: [`Risky ${IMG}`],
          verification: `sh test.sh ${LINK}`,
        },
        work: [
          { name: "run", input: { command: `echo '${SCRIPT}' '${LINK}'` } },
          { name: "write_file", input: { path: "NOTES.md", content: `# Notes\n\n${HOSTILE}\n` } },
          { name: "edit_file", input: { path: "src/value.txt", old_string: "41", new_string: "42" } },
        ],
        summary: `Done. ${HOSTILE}`,
      },
    ],
    env: { JULES_TTS: "off" },
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** What of the page would run or lead to script: elements with an attribute starting javascript:, handler attributes, scripts that are not the app's. */
const DANGER = `(() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^\\s*javascript:/i.test(a.value)) found.push(el.tagName + " " + a.name + "=" + a.value);
      if (/^on/i.test(a.name)) found.push(el.tagName + " " + a.name);
    }
  }
  for (const s of document.querySelectorAll("script")) if (!/^\\/app\\/assets\\//.test(s.getAttribute("src") || "")) found.push("script " + s.outerHTML.slice(0, 80));
  for (const img of document.querySelectorAll("img")) found.push("img " + img.outerHTML.slice(0, 80));
  return found;
})()`;

describe("hostile content is shown as text", { timeout: 240_000 }, () => {
  it("runs no script of the plan, the output, the diff or the summary, links nowhere, and shows it all literally", async () => {
    const page = await world.signIn("alice");
    const problems = watch(page);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const id = await startTaskInPage(page, world.base, `Make the value 42 ${HOSTILE} (${MARKER})`);
    await stateShown(page, "awaiting_approval");
    const plan = page.locator("section", { has: page.getByRole("heading", { name: "Plan" }) });
    expect(await plan.getByText(`Set the value to 42. ${HOSTILE}`, { exact: true }).isVisible()).toBe(true);
    expect(await plan.getByText(`Write 42 ${SCRIPT}`, { exact: true }).isVisible()).toBe(true);
    expect(await plan.getByText(`See ${LINK}`, { exact: true }).isVisible()).toBe(true);
    expect(await plan.getByText(`Risky ${IMG}`, { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(SCRIPT);
    expect(await page.evaluate<string[]>(DANGER)).toEqual([]);

    await plan.getByRole("button", { name: "Approve" }).click();
    await stateShown(page, "done");
    // The agent's command and its output, as text.
    const command = page.getByRole("list", { name: "Activity" }).locator("li", { hasText: `$ echo '${SCRIPT}' '${LINK}'` });
    await command.getByText(/^Output \(/).click();
    expect(await command.locator("pre").textContent()).toBe(`${SCRIPT} ${LINK}\n`);
    // The diff (diff2html), as text.
    const diff = page.getByTestId("diff");
    await diff.locator(".d2h-file-name", { hasText: "NOTES.md" }).first().waitFor();
    const added = await diff.locator(".d2h-ins .d2h-code-line-ctn").allTextContents();
    expect(added).toContain(HOSTILE);
    expect(await diff.getByText(HOSTILE, { exact: true }).first().isVisible()).toBe(true);
    // The summary: the browser's speech (JULES_TTS=off), its text beside, literally.
    const summary = page.locator("section", { has: page.getByRole("heading", { name: "Summary" }) });
    await summary.getByRole("button", { name: "Play summary" }).waitFor();
    expect(await summary.locator("audio").count()).toBe(0);
    expect(await summary.locator("#summary-text").textContent()).toMatch(/pull request/i);
    const me = await (await page.request.get(`${world.base}/api/v1/me`)).json();
    expect(me.features.speech).toBe("browser");
    const spoken = await (await page.request.get(`${world.base}/api/v1/tasks/${encodeURIComponent(id)}/summary`)).json();
    expect(spoken).toMatchObject({ audioUrl: null, engine: null });
    expect(await summary.locator("#summary-text").textContent()).toBe(spoken.text);

    // The list, too.
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    const title = page.getByRole("link", { name: `Make the value 42 ${HOSTILE} (${MARKER})`, exact: true });
    await title.waitFor();
    expect(await title.textContent()).toBe(`Make the value 42 ${HOSTILE} (${MARKER})`);

    expect(await page.evaluate<string[]>(DANGER)).toEqual([]);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(problems.map((p) => p.text)).toEqual([]);
    await page.context().close();
  });
});
