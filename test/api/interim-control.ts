/**
 * TEMPORARY: a control plane over the real SQLite store, until H2's
 * createControlPlane lands (then this file goes and the fixture builds the
 * real one). Only what the routing tests need.
 */
import { createHash } from "node:crypto";
import type { Caller } from "../../src/domain/actor.ts";
import type { Task, TaskLogEvent } from "../../src/domain/model.ts";
import type { TaskStore } from "../../src/store/port.ts";
import type { ControlPlane, Result, TaskSummary, UseCaseError } from "../../src/tasks/control/port.ts";

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: UseCaseError["code"], title: string, detail: string): Result<never> => ({ ok: false, error: { code, title, detail } });

export function interimControl(store: TaskStore, notify: { wait(): Promise<void> }): ControlPlane {
  const find = async (caller: Caller, id: string): Promise<Result<Task>> => {
    const task = await store.get(id);
    if (!task) return fail("not_found", "Task not found", `No task with id ${id}.`);
    if (caller.principal.kind === "user" && caller.principal.repositories && !caller.principal.repositories.includes(`${task.owner}/${task.repo}`.toLowerCase()))
      return fail("not_found", "Task not found", `No task with id ${id}.`);
    return ok(task);
  };
  const summary = (t: Task): TaskSummary => ({
    id: t.id,
    repository: `${t.owner}/${t.repo}`,
    issueNumber: t.issueNumber,
    kind: t.kind,
    state: t.state,
    title: t.issueTitle,
    requestedBy: t.requestedBy,
    face: t.face,
    pullRequestUrl: t.pullRequestUrl,
    failure: null,
    costUsd: null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  });
  const unsupported = async () => fail("unavailable", "Not yet", "The interim control plane does not do this.");
  return {
    async list(_caller, q) {
      const [owner, repo] = q.repository?.split("/") ?? [q.owner, undefined];
      const tasks = await store.list({ ...(owner ? { owner } : {}), ...(repo ? { repo } : {}), ...(q.state ? { state: q.state } : {}), limit: q.limit, offset: q.offset });
      return ok({ tasks: tasks.map(summary), limit: q.limit, offset: q.offset, nextOffset: tasks.length === q.limit ? q.offset + q.limit : null });
    },
    async get(caller, id) {
      const task = await find(caller, id);
      if (!task.ok) return task;
      return ok({ task: task.value, history: await store.history(id), links: { issue: null, plan: null, pullRequest: null } });
    },
    async create(caller, input) {
      const [owner, repo] = input.repository.split("/") as [string, string];
      const digest = createHash("sha256")
        .update(JSON.stringify({ ...input, idempotencyKey: undefined }))
        .digest("hex");
      const result = await store.create(
        {
          installationId: 1,
          owner,
          repo,
          issueNumber: input.issue ?? null,
          kind: "issue",
          cloneUrl: `https://github.com/${input.repository}.git`,
          instruction: input.instruction,
          issueTitle: input.instruction.slice(0, 60),
          requestedBy: caller.principal.kind === "user" ? caller.principal.login : "operator",
          triggerCommentId: null,
          baseBranch: input.base ?? null,
          command: "jules",
          face: caller.face,
          ...(input.idempotencyKey ? { idempotency: { key: `x:${input.idempotencyKey}`, digest } } : {}),
        },
        "operator",
        "created",
      );
      if (result.created) return ok({ task: result.task, created: true });
      if ("replayed" in result) return ok({ task: result.replayed, created: false });
      return fail("conflict", "Idempotency key reused", "This Idempotency-Key was used with another request.");
    },
    async approve(caller, id) {
      const task = await find(caller, id);
      if (!task.ok) return task;
      const moved = await store.transition(id, { from: "awaiting_approval", to: "approved", actor: "operator", face: caller.face, reason: "approved" });
      return moved ? ok(moved) : fail("conflict", "Plan not waiting for approval", `Task ${id} is ${task.value.state}.`);
    },
    revise: unsupported,
    message: unsupported,
    cancel: unsupported,
    pause: unsupported,
    resume: unsupported,
    retry: unsupported,
    waitForChange: unsupported,
    async diff(caller, id) {
      const task = await find(caller, id);
      return task.ok ? ok({ base: "main", branch: "jules/x", diff: "diff --git a/x b/x\n" }) : task;
    },
    async events(caller, id, { after, limit }) {
      const task = await find(caller, id);
      return task.ok ? ok(await store.readEvents(id, after, limit)) : task;
    },
    async follow(caller, id, { after, signal }) {
      const task = await find(caller, id);
      if (!task.ok) return task;
      async function* run(): AsyncGenerator<TaskLogEvent> {
        let last = after;
        while (!signal.aborted) {
          for (const e of await store.readEvents(id, last, 100)) {
            last = e.id;
            yield e;
          }
          await Promise.race([notify.wait(), new Promise((r) => signal.addEventListener("abort", r, { once: true }))]);
        }
      }
      return ok(run());
    },
    async repositories() {
      return ok([{ fullName: "Codertocat/Hello-World", defaultBranch: "main", private: false }]);
    },
    async branches(_caller, repository) {
      return repository === "Codertocat/Hello-World" ? ok(["main"]) : fail("not_found", "Repository not found", `${repository} is not installed.`);
    },
  };
}
