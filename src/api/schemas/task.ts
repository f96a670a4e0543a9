/**
 * The task as the API answers it, in zod: the source of the OpenAPI
 * document's schemas (each typed against the domain's own type, so a field
 * added to the model and not here fails the type check).
 */
import { z } from "zod";
import { FACES } from "../../domain/actor.ts";
import { APPROVAL_KINDS, type Task, TASK_STATES, type TaskEvent, type TaskLogEvent } from "../../domain/model.ts";

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const count = () => z.number().int().nonnegative();
const time = () => z.string().describe("ISO 8601 date and time");

export const FaceSchema = z.enum(FACES).describe("The way in: thread (a GitHub comment or label), api, cli, mcp, web, or system (OpenJules itself)");
export const StateSchema = z.enum(TASK_STATES);

export const UsageSchema = z.strictObject({ inputTokens: count(), outputTokens: count(), calls: count(), wallMs: z.number().nonnegative(), costUsd: z.number().nonnegative() });

const PlanSchema = z.strictObject({
  summary: z.string(),
  steps: z.array(z.strictObject({ title: z.string(), detail: z.string().optional(), files: z.array(z.string()) })),
  risks: z.array(z.string()),
  verification: z.string(),
});

const ThreadSchema = z.strictObject({
  title: z.string(),
  body: z.string(),
  comments: z.array(z.strictObject({ author: z.string(), body: z.string() })),
  issueDigest: z.string(),
  review: z
    .strictObject({
      id: z.number().int(),
      threads: z.array(z.strictObject({ threadId: z.number().int(), path: z.string(), line: nullable(z.number().int()) })),
    })
    .optional()
    .describe("A follow-up from a review that requested changes: the review, and the threads of its line comments it replies on"),
  ci: z
    .strictObject({ headSha: z.string(), checks: z.array(z.string()), automatic: z.boolean(), evidence: z.string() })
    .optional()
    .describe("A follow-up that fixes the pull request's failing checks: the commit they failed on, their names, whether ci_fix: auto started it, and what they said"),
});

const PauseSchema = z.strictObject({
  cause: z.enum(["turns", "tokens", "cost", "time", "operator"]),
  reason: z.string(),
  at: time(),
  checkpointSha: nullable(z.string()),
  summary: nullable(z.string()),
  resumedFrom: z.strictObject({ summary: z.string(), checkpointSha: nullable(z.string()) }).optional(),
});

export const TaskSchema: z.ZodType<Task> = z
  .strictObject({
    id: z.string(),
    installationId: z.number().int(),
    owner: z.string(),
    repo: z.string(),
    issueNumber: nullable(z.number().int().positive()).describe("The issue or pull request the task lives in; null for a task created without one"),
    kind: z.enum(["issue", "follow_up", "ask"]),
    state: StateSchema,
    cloneUrl: z.string(),
    instruction: z.string(),
    issueTitle: z.string(),
    requestedBy: z.string(),
    command: z.string(),
    triggerCommentId: nullable(z.number().int()),
    baseBranch: nullable(z.string()),
    statusCommentId: nullable(z.number().int()),
    planCommentId: nullable(z.number().int()),
    planCommentCreatedAt: nullable(z.string()),
    plan: nullable(PlanSchema),
    planHash: nullable(z.string()),
    planContext: nullable(ThreadSchema),
    planVersion: count(),
    revisionFeedback: nullable(z.string()),
    approvedBy: nullable(z.string()),
    approvalKind: nullable(z.enum(APPROVAL_KINDS)),
    approvedPlanHash: nullable(z.string()),
    answer: nullable(z.string()),
    branch: nullable(z.string()),
    pullRequestNumber: nullable(z.number().int()),
    pullRequestUrl: nullable(z.string()),
    failure: nullable(z.strictObject({ phase: z.string(), reason: z.string(), hint: z.string(), output: z.string().optional() })),
    usage: nullable(UsageSchema),
    activity: nullable(z.string()),
    face: FaceSchema,
    model: nullable(z.string()),
    pause: nullable(PauseSchema),
    extraBudget: nullable(z.strictObject({ turns: count(), tokens: count(), costUsd: z.number().nonnegative(), minutes: z.number().nonnegative() })),
    costEstimateUsd: nullable(z.number().nonnegative()),
    ownKey: nullable(
      z.strictObject({
        login: z.string().describe("Whose key"),
        provider: z.string().describe("openai, anthropic or openai-compatible"),
        last4: z.string().describe("The key's last four characters"),
      }),
    ).describe("The requester's own provider key the task runs on, its usage billed to it (\"your openai key ••••abcd\"); null: the operator's keys"),
    createdAt: time(),
    updatedAt: time(),
  })
  .meta({ id: "Task", description: "Everything OpenJules records about one task" });

export const HistoryEntrySchema: z.ZodType<TaskEvent> = z
  .strictObject({ taskId: z.string(), at: time(), from: nullable(StateSchema), to: StateSchema, actor: z.string(), face: FaceSchema, reason: z.string() })
  .meta({ id: "HistoryEntry", description: "One state change: when, from and to which state, who asked and through which face" });

const source = z.enum(["setup", "tests", "agent"]);

const LogDataSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("state"), from: nullable(StateSchema), to: StateSchema, actor: z.string(), face: FaceSchema, reason: z.string() }),
  z.strictObject({ type: z.literal("activity"), line: z.string() }),
  z.strictObject({ type: z.literal("tool"), tool: z.string(), summary: z.string() }),
  z.strictObject({ type: z.literal("command"), source, command: z.string(), exitCode: nullable(z.number().int()), durationMs: z.number().nonnegative() }),
  z.strictObject({ type: z.literal("output"), source, chunk: z.string() }),
  z.strictObject({ type: z.literal("plan"), version: count(), summary: z.string(), steps: count(), costEstimateUsd: nullable(z.number().nonnegative()) }),
  z.strictObject({ type: z.literal("pull_request"), number: z.number().int(), url: z.string() }),
  z.strictObject({ type: z.literal("message"), from: z.string(), face: FaceSchema, text: z.string() }),
  z.strictObject({ type: z.literal("usage"), usage: UsageSchema }),
  z.strictObject({ type: z.literal("paused"), cause: PauseSchema.shape.cause, reason: z.string(), checkpointSha: nullable(z.string()) }),
]);

export const LogEventSchema: z.ZodType<TaskLogEvent> = z
  .strictObject({ id: z.number().int().positive().describe("Increasing; the SSE id and what Last-Event-ID resumes after"), taskId: z.string(), at: time(), data: LogDataSchema })
  .meta({ id: "TaskEvent", description: "One entry of the task's event log" });
