/**
 * The task page's controls in a real browser against a real OpenJules server
 * (test/helpers/web-e2e.ts): a writer cancels a task waiting for approval
 * with the plan's Cancel button; pauses a working task with Pause (through
 * the real pipeline: the agent stops at its next turn and keeps its work)
 * and resumes it with Resume to a pull request. A user with only read access
 * on the repository (GitHub's role, checked by the control plane) sees the
 * task, its plan and its state, but no Approve, Revise, Cancel, Pause or
 * Resume, and the API answers 403 to the same requests made with the page's
 * own cookie and CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot, seriousViolations, watch } from "../helpers/browser.ts";
import { postFromPage, startTaskInPage, startWebWorld, stateShown, valueFiles, valueScript, type WebWorld } from "../helpers/web-e2e.ts";

const REPO = "octo-org/app";
const CANCEL = "cancel-me-51c2";
const PAUSE = "pause-me-8d40";
const READ = "read-only-e6a1";

let world: WebWorld;

beforeAll(async () => {
  const installations = [{ id: 1, appId: 1, repositories: [REPO] }];
  world = await startWebWorld({
    users: [
      { login: "alice", installations },
      { login: "reader", installations },
    ],
    roles: { reader: "read" },
    repositories: { [REPO]: [{ files: valueFiles(), message: "initial" }] },
    scripts: [valueScript(CANCEL), valueScript(PAUSE, { holdMs: 6000 }), valueScript(READ)],
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const BUTTONS = ["Approve", "Revise", "Cancel task", "Pause", "Resume", "Retry"];

describe("the task page's controls", { timeout: 240_000 }, () => {
  it("cancels a task waiting for approval with the plan's Cancel button", async () => {
    const page = await world.signIn("alice");
    const problems = watch(page);
    const id = await startTaskInPage(page, world.base, `Make the value 42 (${CANCEL}).`);
    await stateShown(page, "awaiting_approval");
    const plan = page.locator("section", { has: page.getByRole("heading", { name: "Plan" }) });
    await plan.getByRole("button", { name: "Cancel task" }).click();
    await stateShown(page, "cancelled", 30_000);
    expect((await world.app.store.get(id))?.state).toBe("cancelled");
    // Cancelled: no Approve any more; Retry instead.
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(1);
    await page.getByRole("list", { name: "Activity" }).locator("li", { hasText: "by alice (web)" }).filter({ hasText: "cancelled" }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("pauses a working task and resumes it to a pull request; a reader sees neither button and the API refuses the reader's cookie", async () => {
    const page = await world.signIn("alice");
    const problems = watch(page);
    const id = await startTaskInPage(page, world.base, `Make the value 42 (${PAUSE}).`);
    await stateShown(page, "awaiting_approval");
    await page.getByRole("button", { name: "Approve" }).click();
    // The model holds its first answer: the task is working when Pause is pressed.
    await stateShown(page, "working", 60_000);
    await page.getByRole("button", { name: "Pause" }).click();
    await stateShown(page, "paused", 60_000);
    const paused = (await world.app.store.get(id))!;
    expect(paused.state).toBe("paused");
    expect(paused.pause).toMatchObject({ cause: "operator", reason: "asked by @alice" });
    await page.getByText(/^Paused: /).waitFor();
    await page.getByRole("list", { name: "Activity" }).getByText("Paused on request: asked by @alice", { exact: true }).waitFor();
    const resume = page.getByRole("form", { name: "Resume the task" });
    expect(await resume.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "paused");

    // A reader: the same task, paused, without Resume or Cancel; the API says 403 to the page's own request.
    const reader = await world.signIn("reader", { path: `/app/tasks/${encodeURIComponent(id)}` });
    const readerProblems = watch(reader);
    await stateShown(reader, "paused");
    for (const name of BUTTONS) expect(await reader.getByRole("button", { name }).count(), name).toBe(0);
    expect(await reader.getByRole("form", { name: "Message" }).count()).toBe(0);
    const refused = await postFromPage(reader, `/tasks/${encodeURIComponent(id)}/resume`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403 });
    expect((await world.app.store.get(id))?.state).toBe("paused");

    await resume.getByRole("button", { name: "Resume" }).click();
    await stateShown(page, "done", 120_000);
    const done = (await world.app.store.get(id))!;
    expect(done.pullRequestUrl).toMatch(/^https:\/\/github\.com\/octo-org\/app\/pull\/\d+$/);
    expect(await world.show(REPO, done.branch!, "src/value.txt")).toBe("42");
    // The reader's page followed it live: done, still without buttons.
    await stateShown(reader, "done", 30_000);
    for (const name of BUTTONS) expect(await reader.getByRole("button", { name }).count(), name).toBe(0);
    expect(problems).toEqual([]);
    expect(readerProblems.filter((p) => !/status of 403/.test(p.text))).toEqual([]);
    await reader.context().close();
    await page.context().close();
  });

  it("shows a reader the plan waiting for approval without Approve, Revise or Cancel, and the API refuses them with 403", async () => {
    const alice = await world.signIn("alice");
    const id = await startTaskInPage(alice, world.base, `Make the value 42 (${READ}).`);
    await stateShown(alice, "awaiting_approval");
    expect(await alice.getByRole("button", { name: "Approve" }).count()).toBe(1);

    const reader = await world.signIn("reader", { path: `/app/tasks/${encodeURIComponent(id)}` });
    await stateShown(reader, "awaiting_approval");
    await reader.getByText("Set the value to 42 so the test passes.").waitFor();
    for (const name of BUTTONS) expect(await reader.getByRole("button", { name }).count(), name).toBe(0);
    // The reader may not start a task either.
    for (const [path, body] of [
      [`/tasks/${encodeURIComponent(id)}/approve`, {}],
      [`/tasks/${encodeURIComponent(id)}/revise`, { feedback: "smaller" }],
      [`/tasks/${encodeURIComponent(id)}/cancel`, {}],
      ["/tasks", { repository: REPO, instruction: "anything" }],
    ] as const) {
      const answer = await postFromPage(reader, path, body);
      expect(answer.status, path).toBe(403);
    }
    expect((await world.app.store.get(id))?.state).toBe("awaiting_approval");

    // The list: this file's tasks in their states, for the writer.
    await alice.getByRole("link", { name: "Tasks", exact: true }).click();
    await expect.poll(() => alice.getByRole("row").count()).toBe(4);
    expect(await seriousViolations(alice)).toEqual([]);
    await screenshot(alice, "tasks", { docs: true });
    await screenshot(alice, "tasks", { phone: true });
    expect(world.github.violations).toEqual([]);
    await reader.context().close();
    await alice.context().close();
  });
});
