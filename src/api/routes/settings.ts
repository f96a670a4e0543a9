/**
 * What the New task page shows before a start: the models a task may ask
 * for, and a repository's effective settings (its `.github/jules.yml` with
 * the operator's caps applied).
 */
import { z } from "zod";
import { invalid } from "../problem.ts";
import { answer, json, route } from "../route.ts";
import { REPOSITORY } from "../schemas/bodies.ts";

export const ModelsSchema = z
  .strictObject({
    default: z.string().nullable().describe("provider:model used when a task asks for none and its repository names none; null when the server has no model"),
    allowed: z.array(z.string()).describe("What a task (or jules.yml) may ask for: JULES_ALLOWED_MODELS, provider:model or a bare model"),
  })
  .meta({ id: "Models" });

export const RepoSettingsSchema = z
  .strictObject({
    approval: z.enum(["required", "auto"]).describe("required: a writer approves the plan first; auto: work starts once the plan is posted"),
    approvers: z.enum(["writers", "others"]).describe("others: the person who asked cannot approve (four-eyes rule)"),
    budgets: z
      .strictObject({ maxTurns: z.number().int(), maxTokens: z.number().int(), maxCostUsd: z.number(), maxMinutes: z.number() })
      .describe("The repository's budgets, each capped by the operator's limit"),
    model: z.string().nullable().describe("provider:model a task uses when it asks for none: the repository's choice, else the server's"),
    command: z.string().describe("The command word in the thread (/jules)"),
  })
  .meta({ id: "RepoSettings" });

const models = route({
  method: "GET",
  path: "/models",
  operationId: "listModels",
  summary: "The models a task may ask for, and the default",
  responses: { 200: { description: "The models", schema: ModelsSchema } },
  problems: [],
  handle: ({ caller, control }) => answer(control.models(caller), (m) => json(200, m)),
});

const settings = route({
  method: "GET",
  path: "/repos/{owner}/{repo}/settings",
  operationId: "repositorySettings",
  summary: "The settings a task started now in the repository would get",
  description: "The repository's .github/jules.yml (as the worker reads it) with each budget capped by the operator's limit; 409 naming the file's problems when it is invalid.",
  responses: { 200: { description: "The effective settings", schema: RepoSettingsSchema } },
  problems: [403, 404, 409, 503],
  async handle({ caller, control, params }) {
    const repository = `${params.owner}/${params.repo}`;
    if (!REPOSITORY.test(repository)) return { problem: invalid(`The repository must look like owner/name, got "${repository}".`) };
    return answer(control.repositorySettings(caller, repository), (s) => json(200, s satisfies z.infer<typeof RepoSettingsSchema>));
  },
});

export const SETTINGS_ROUTES = [models, settings];
