/**
 * The MCP tools: one per use case of the control plane, each a zod input
 * schema, a description an assistant can choose by, and one call. The
 * caller (principal + face `mcp`) is fixed per connection; the control plane
 * checks every permission, so a forbidden write comes back as a tool error
 * with the reason, never as a crash.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Caller } from "../domain/actor.ts";
import type { Logger } from "../domain/logger.ts";
import { TASK_STATES } from "../domain/model.ts";
import type { Task } from "../domain/model.ts";
import type { ControlPlane, Result } from "../tasks/control/port.ts";
import { taskCard, toolResult, viewCard } from "./render.ts";

const id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "a task id has 1 to 64 letters, digits, '-' or '_'")
  .describe("The task id (from list_tasks or create_task).");
const repository = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "a repository is owner/name")
  .describe("The repository as owner/name.");
const state = z.enum(TASK_STATES);
const reason = { reason: z.string().max(2000).optional().describe("Why, recorded in the history.") };

/** Longest wait_for_task may block; clients usually give a request 60 s unless progress resets their timer. */
export const MAX_WAIT_SECONDS = 300;
/** How often wait_for_task tells a client with a progress token that it is still waiting (its timer restarts on each). */
export const PROGRESS_EVERY_MS = 10_000;

export interface ToolOptions {
  log?: Pick<Logger, "error"> | undefined;
  progressMs?: number | undefined;
}

const READ = { readOnlyHint: true, openWorldHint: false } as const;
const WRITE = { readOnlyHint: false, destructiveHint: false, openWorldHint: true } as const;

export function registerTools(server: McpServer, control: ControlPlane, caller: Caller, { log, progressMs = PROGRESS_EVERY_MS }: ToolOptions = {}): void {
  /** The call's result as the tool's answer; a failure that is no use-case error is logged and answered without its details. */
  const answer = async <T>(call: Promise<Result<T>>, render?: (value: T) => unknown): Promise<CallToolResult> => {
    try {
      return toolResult(await call, render);
    } catch (error) {
      log?.error({ err: error }, "an MCP tool failed");
      return {
        content: [{ type: "text", text: "OpenJules failed on this call (an internal error, logged on the server); try again, or ask the operator to look at the logs." }],
        isError: true,
      };
    }
  };

  server.registerTool(
    "list_tasks",
    {
      title: "List tasks",
      description:
        "Lists OpenJules tasks the caller may see, newest first, optionally only one repository, owner or state. Pages with limit and offset (nextOffset is null on the last page).",
      inputSchema: {
        repository: repository.optional(),
        owner: z.string().min(1).optional().describe("Only repositories of this owner (user or organization)."),
        state: state.optional().describe("Only tasks in this state."),
        limit: z.number().int().min(1).max(100).default(20),
        offset: z.number().int().min(0).default(0),
      },
      annotations: READ,
    },
    async (args) => answer(control.list(caller, args)),
  );

  server.registerTool(
    "get_task",
    {
      title: "Get a task",
      description:
        "A task's details: state, instruction, plan (steps, risks, estimated cost), pull request, failure or pause reason, spend, links, and its state history with who did what through which face.",
      inputSchema: { id },
      annotations: READ,
    },
    async (args) => answer(control.get(caller, args.id), viewCard),
  );

  server.registerTool(
    "create_task",
    {
      title: "Create a task",
      description:
        "Starts a task on a repository OpenJules is installed on: the agent plans first, and the plan waits for approval (approve_plan) unless the repository approves automatically. Without an issue the task is followed through MCP, the API, the CLI and the task page; with an issue it lives in that issue's thread as if `/jules <instruction>` had been written there. Use wait_for_task to follow it.",
      inputSchema: {
        repository,
        instruction: z.string().min(1).max(20_000).describe("What the agent should do, in plain words."),
        base: z.string().min(1).optional().describe("Base branch for the pull request; the repository's default when not given."),
        issue: z.number().int().positive().optional().describe("An issue number: the task lives in that issue's thread."),
        model: z.string().min(1).optional().describe("provider:model or a model, within the operator's allowed models."),
        idempotency_key: z.string().min(1).max(200).optional().describe("Repeat a call with the same key to get the same task instead of a second one."),
        kind: z
          .enum(["issue", "ask"])
          .optional()
          .describe(
            "ask: the instruction is a question, answered from the code without changing anything (no plan or approval; the answer is the task's answer); issue (default): a change.",
          ),
      },
      annotations: WRITE,
    },
    async ({ idempotency_key, ...input }) => {
      const result = control.create(caller, { ...input, ...(idempotency_key ? { idempotencyKey: idempotency_key } : {}) });
      return answer(result, (v) => ({ created: v.created, task: taskCard(v.task) }));
    },
  );

  /** A write on one task that answers the task as it is after the call. */
  const write = <S extends z.ZodRawShape>(
    name: string,
    title: string,
    description: string,
    shape: S,
    call: (args: z.infer<z.ZodObject<S>> & { id: string }) => Promise<Result<Task>>,
  ) => {
    const inputSchema: z.ZodRawShape = { id, ...shape };
    server.registerTool(name, { title, description, inputSchema, annotations: WRITE }, async (args: Record<string, unknown>) =>
      answer(call(args as z.infer<z.ZodObject<S>> & { id: string }), taskCard),
    );
  };

  write(
    "approve_plan",
    "Approve the plan",
    "Approves the task's current plan (state awaiting_approval): the agent starts the work and opens a pull request. The four-eyes rule of the repository applies.",
    { note: z.string().max(2000).optional().describe("A note recorded with the approval.") },
    (a) => control.approve(caller, a.id, a.note ? { note: a.note } : {}),
  );
  write(
    "revise_plan",
    "Revise the plan",
    "Asks for a new plan with this feedback (state awaiting_approval); the task plans again and waits for approval.",
    { feedback: z.string().min(1).max(20_000).describe("What to change in the plan.") },
    (a) => control.revise(caller, a.id, { feedback: a.feedback }),
  );
  write("cancel_task", "Cancel a task", "Cancels a task that has not finished; a running agent stops. Cannot be undone (start a new task instead).", reason, (a) =>
    control.cancel(caller, a.id, a.reason ? { reason: a.reason } : {}),
  );
  write(
    "pause_task",
    "Pause a task",
    "Stops a working task at the agent's next turn, keeping its work (a work-in-progress commit on its branch); resume_task continues it.",
    reason,
    (a) => control.pause(caller, a.id, a.reason ? { reason: a.reason } : {}),
  );
  write(
    "resume_task",
    "Resume a paused task",
    "Continues a paused task from its checkpoint on the same branch, optionally with more budget, within the operator's caps.",
    { extra_budget: z.string().min(1).max(100).optional().describe('More budget, e.g. "$2", "20 turns", "30 minutes" or "100k tokens".') },
    (a) => control.resume(caller, a.id, a.extra_budget ? { extra: a.extra_budget } : {}),
  );
  write("retry_task", "Retry a failed task", "Runs a failed task's last job (planning or execution) again.", {}, (a) => control.retry(caller, a.id));

  server.registerTool(
    "send_message",
    {
      title: "Send a message to a task",
      description:
        "Sends text to a task: while the agent works it reaches the model at its next turn; while the task is paused it waits and reaches the model at its first turn once resumed; while a plan waits for approval it revises the plan; on a finished task with a pull request it starts a follow-up. The answer says which (delivery: next_turn, on_resume, revision or follow_up).",
      inputSchema: { id, text: z.string().min(1).max(20_000).describe("The message, in plain words.") },
      annotations: WRITE,
    },
    async (args) => answer(control.message(caller, args.id, { text: args.text }), (v) => ({ delivery: v.delivery, task: taskCard(v.task) })),
  );

  server.registerTool(
    "get_task_diff",
    {
      title: "Get a task's diff",
      description: "The unified diff of the task's branch against its base (what git diff base...branch prints); empty when there is no change yet.",
      inputSchema: { id },
      annotations: READ,
    },
    async (args) => answer(control.diff(caller, args.id), (d) => `base: ${d.base}\nbranch: ${d.branch}\n\n${d.diff || "(no change)"}`),
  );

  server.registerTool(
    "wait_for_task",
    {
      title: "Wait for a task to change state",
      description: `Blocks until the task's state differs from \`state\` (its current state when not given) or the timeout passes, then returns the task and changed: true or false. Follow a task with this instead of polling get_task. Sends progress every ${Math.round(progressMs / 1000)} s when the request has a progress token.`,
      inputSchema: {
        id,
        state: state.optional().describe("Return once the task is no longer in this state (e.g. the one you last saw)."),
        timeout_seconds: z.number().int().min(1).max(MAX_WAIT_SECONDS).default(50).describe(`How long to wait at most (1-${MAX_WAIT_SECONDS}).`),
      },
      annotations: READ,
    },
    async (args, extra) => {
      const token = extra._meta?.progressToken;
      let beat = 0;
      const heartbeat =
        token === undefined
          ? null
          : setInterval(() => {
              beat++;
              void extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: beat, message: "still waiting" } }).catch(() => undefined);
            }, progressMs);
      try {
        return await answer(
          control.waitForChange(caller, args.id, {
            ...(args.state ? { state: args.state } : {}),
            timeoutMs: args.timeout_seconds * 1000,
            signal: extra.signal,
          }),
          (v) => ({ changed: v.changed, task: taskCard(v.task) }),
        );
      } finally {
        if (heartbeat) clearInterval(heartbeat);
      }
    },
  );

  server.registerTool(
    "list_repositories",
    {
      title: "List repositories",
      description: "Repositories OpenJules is installed on that the caller may use, with their default branch: where create_task can start a task.",
      annotations: READ,
    },
    async () => answer(control.repositories(caller)),
  );

  server.registerTool(
    "list_branches",
    {
      title: "List branches",
      description: "The branches of a repository OpenJules is installed on: candidates for create_task's base.",
      inputSchema: { repository },
      annotations: READ,
    },
    async (args) => answer(control.branches(caller, args.repository)),
  );
}
