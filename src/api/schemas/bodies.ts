/**
 * Request bodies of /api/v1, in zod (strict objects: an unknown key is
 * refused, so a misspelt field never passes silently) and the answers that
 * are not the task itself. The OpenAPI document is generated from these.
 */
import { z } from "zod";
import type { Repository, TaskDiff, TaskPage, TaskSummary, TaskView } from "../../tasks/control/port.ts";
import { FaceSchema, HistoryEntrySchema, LogEventSchema, StateSchema, TaskSchema } from "./task.ts";

const text = (max: number) => z.string().max(max).regex(/\S/, "must not be blank");
export const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export const CreateBody = z
  .strictObject({
    repository: z.string().regex(REPOSITORY, "must look like owner/name").describe("owner/name of a repository the app is installed on"),
    instruction: text(20_000).describe("What to do, as you would write it after /jules"),
    base: z.string().min(1).max(255).optional().describe("The base branch; the repository's default when not given"),
    issue: z.number().int().positive().optional().describe("Live in this issue's thread (status and plan comments), as if /jules had been written there"),
    model: z.string().min(1).max(200).optional().describe("provider:model or a model, within JULES_ALLOWED_MODELS"),
    kind: z
      .enum(["issue", "ask"])
      .optional()
      .describe(
        "ask: the instruction is a question, answered from the code without changing it (no plan, approval, branch or pull request; with an issue that is a pull request, about its diff); issue (the default): a change",
      ),
  })
  .meta({ id: "CreateTask" });
export const ApproveBody = z.strictObject({ note: text(2000).optional() }).meta({ id: "Approve" });
export const ReviseBody = z.strictObject({ feedback: text(10_000).describe("What the next plan should change") }).meta({ id: "Revise" });
export const MessageBody = z.strictObject({ text: text(10_000) }).meta({ id: "Message" });
export const ReasonBody = z.strictObject({ reason: text(2000).optional() }).meta({ id: "Reason" });
export const ResumeBody = z.strictObject({ extra: text(100).optional().describe('More budget: "$2", "20 turns", "30 minutes" or "100k tokens"') }).meta({ id: "Resume" });
export const EmptyBody = z.strictObject({}).meta({ id: "Empty" });

const summary: z.ZodType<TaskSummary> = z.strictObject({
  id: z.string(),
  repository: z.string(),
  issueNumber: z.number().int().positive().nullable(),
  kind: z.enum(["issue", "follow_up", "ask"]),
  state: StateSchema,
  title: z.string(),
  requestedBy: z.string(),
  face: FaceSchema,
  pullRequestUrl: z.string().nullable(),
  failure: z.string().nullable(),
  costUsd: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const TaskPageSchema: z.ZodType<TaskPage> = z
  .strictObject({
    tasks: z.array(summary),
    limit: z.number().int(),
    offset: z.number().int(),
    nextOffset: z.number().int().nullable().describe("Offset of the next page; null on the last"),
  })
  .meta({ id: "TaskPage" });

export const TaskViewSchema: z.ZodType<TaskView> = z
  .strictObject({
    task: TaskSchema,
    history: z.array(HistoryEntrySchema),
    links: z.strictObject({ issue: z.string().nullable(), plan: z.string().nullable(), pullRequest: z.string().nullable() }),
    permissions: z
      .strictObject({
        write: z.boolean().describe("Whether this caller may change the task (approve, revise, message, cancel, pause, resume, retry); the four-eyes rule is checked on approval"),
      })
      .describe("What the caller may do to this task"),
  })
  .meta({ id: "TaskView" });

export const MessageAnswer = z
  .strictObject({
    task: TaskSchema,
    delivery: z
      .enum(["next_turn", "on_resume", "revision", "follow_up"])
      .describe(
        "next_turn: the agent's next turn; on_resume: the task is paused, the agent reads it at its first turn once resumed; revision: the plan is revised; follow_up: a follow-up on the PR",
      ),
  })
  .meta({ id: "MessageAnswer" });

export const EventPage = z
  .strictObject({ events: z.array(LogEventSchema), lastEventId: z.number().int().nonnegative().describe("Pass as ?after= for the next page") })
  .meta({ id: "EventPage" });

export const DiffSchema: z.ZodType<TaskDiff> = z.strictObject({ base: z.string(), branch: z.string(), diff: z.string() }).meta({ id: "TaskDiff" });

const repository: z.ZodType<Repository> = z.strictObject({ fullName: z.string(), defaultBranch: z.string(), private: z.boolean() });
export const RepositoriesSchema = z.strictObject({ repositories: z.array(repository) }).meta({ id: "Repositories" });
export const BranchesSchema = z.strictObject({ branches: z.array(z.string()) }).meta({ id: "Branches" });

export const ProblemSchema = z
  .strictObject({
    type: z.string().describe("urn:openjules:problem:<code>"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe("What happened and what to do"),
    errors: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Each field that was refused"),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });
