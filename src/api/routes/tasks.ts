/**
 * The task routes of /api/v1: list, create (with Idempotency-Key), get, and
 * the writes on one task. Each parses its input and calls the control plane
 * once; permissions are the control plane's.
 */
import { z } from "zod";
import type { ListQuery } from "../../tasks/control/port.ts";
import { parseListQuery } from "../../ops/task-api.ts";
import { invalid } from "../problem.ts";
import { answer, json, type QueryParam, type RouteRequest, route } from "../route.ts";
import { ApproveBody, CreateBody, EmptyBody, MessageAnswer, MessageBody, ReasonBody, ResumeBody, ReviseBody, TaskPageSchema, TaskViewSchema } from "../schemas/bodies.ts";
import { StateSchema, TaskSchema } from "../schemas/task.ts";

const LIST_PARAMS: QueryParam[] = [
  { name: "repo", description: "Only this repository (owner/name)", schema: { type: "string" } },
  { name: "owner", description: "Only repositories of this user or organisation", schema: { type: "string" } },
  { name: "state", description: "Only tasks in this state", schema: z.toJSONSchema(StateSchema) },
  { name: "limit", description: "Page size, 1 to 500 (default 50)", schema: { type: "integer", minimum: 1, maximum: 500 } },
  { name: "offset", description: "Tasks to skip (the previous page's nextOffset)", schema: { type: "integer", minimum: 0 } },
];

/** Printable ASCII, as the IETF Idempotency-Key draft's examples (a UUID fits). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const list = route({
  method: "GET",
  path: "/tasks",
  operationId: "listTasks",
  summary: "Tasks, newest first, that the token may see",
  params: LIST_PARAMS,
  responses: { 200: { description: "One page of tasks", schema: TaskPageSchema } },
  problems: [403],
  async handle({ caller, control, query }) {
    const parsed = parseListQuery(query);
    if (!parsed.ok) return { problem: invalid(`${parsed.error.charAt(0).toUpperCase()}${parsed.error.slice(1)}.`) };
    const { owner, repo, state, limit, offset } = parsed.filter;
    const where = repo !== undefined ? { repository: `${owner}/${repo}` } : owner !== undefined ? { owner } : {};
    const listQuery: ListQuery = { limit, offset, ...where, ...(state ? { state } : {}) };
    return answer(control.list(caller, listQuery), (page) => json(200, page));
  },
});

const create = route({
  method: "POST",
  path: "/tasks",
  operationId: "createTask",
  summary: "Create a task for a repository",
  description:
    "With an Idempotency-Key header, a retried request creates one task: the first answer is 201, a replay with the same body answers the same task with 200 (and Idempotent-Replayed: true), and the same key with another body is refused with 409.",
  params: [
    {
      name: "Idempotency-Key",
      in: "header",
      description: "Any printable ASCII, at most 255 characters (a UUID); kept per token",
      schema: { type: "string", pattern: IDEMPOTENCY_KEY.source },
    },
  ],
  body: { schema: CreateBody, required: true },
  responses: {
    201: { description: "The task was created", schema: TaskSchema, headers: { Location: "The task's address" } },
    200: { description: "A replay of an earlier request with the same Idempotency-Key: the task it created", schema: TaskSchema },
  },
  problems: [403, 404, 409, 503],
  async handle({ caller, control, body, req }) {
    const key = req.headers["idempotency-key"];
    if (key !== undefined && (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key))) {
      return { problem: invalid("The Idempotency-Key header must be 1 to 255 printable ASCII characters (a UUID will do), given once.") };
    }
    return answer(control.create(caller, { ...defined(body), ...(key ? { idempotencyKey: key } : {}) }), ({ task, created }) =>
      created ? json(201, task, { location: `/api/v1/tasks/${task.id}` }) : json(200, task, key ? { "idempotent-replayed": "true" } : {}),
    );
  },
});

const get = route({
  method: "GET",
  path: "/tasks/{id}",
  operationId: "getTask",
  summary: "A task with its state history and links",
  responses: { 200: { description: "The task", schema: TaskViewSchema } },
  problems: [403, 404],
  handle: ({ caller, control, params }) => answer(control.get(caller, params.id!), (view) => json(200, view)),
});

type Handle<B> = (request: RouteRequest<B>) => ReturnType<typeof answer>;

function write<B>(action: string, summary: string, schema: z.ZodType<B>, required: boolean, handle: Handle<B>) {
  return route<B>({
    method: "POST",
    path: `/tasks/{id}/${action}`,
    operationId: `${action}Task`,
    summary,
    body: { schema, required },
    responses: { 200: { description: "The task after the change", schema: action === "message" ? MessageAnswer : TaskSchema } },
    problems: [403, 404, 409, 503],
    handle,
  });
}

const ok = (value: unknown) => json(200, value);

export const TASK_ROUTES = [
  list,
  create,
  get,
  write("approve", "Approve the plan waiting for approval", ApproveBody, false, (r) => answer(r.control.approve(r.caller, r.params.id!, defined(r.body)), ok)),
  write("revise", "Ask for a new plan with this feedback", ReviseBody, true, (r) => answer(r.control.revise(r.caller, r.params.id!, r.body), ok)),
  write("message", "Send text: the agent's next turn, a revision, or a follow-up", MessageBody, true, (r) => answer(r.control.message(r.caller, r.params.id!, r.body), ok)),
  write("cancel", "Cancel the task", ReasonBody, false, (r) => answer(r.control.cancel(r.caller, r.params.id!, defined(r.body)), ok)),
  write("pause", "Pause a working task at its next turn, keeping its work", ReasonBody, false, (r) => answer(r.control.pause(r.caller, r.params.id!, defined(r.body)), ok)),
  write("resume", "Resume a paused task, optionally with more budget", ResumeBody, false, (r) => answer(r.control.resume(r.caller, r.params.id!, defined(r.body)), ok)),
  write("retry", "Run a failed task's last job again", EmptyBody, false, (r) => answer(r.control.retry(r.caller, r.params.id!), ok)),
];

/** Optional fields left out rather than set to undefined (the ports are typed with exactOptionalPropertyTypes). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
