/**
 * Who the caller is, for the web app (and any client): the login (null for
 * the operator token), whether they act as the operator, the face, and for a
 * web session its CSRF token and expiry; plus what this server offers.
 */
import { z } from "zod";
import { json, route } from "../route.ts";

export const MeSchema = z
  .strictObject({
    login: z.string().nullable().describe("The GitHub login; null for the operator token"),
    operator: z.boolean().describe("Acts as the operator: may do everything (the operator token, or a login of JULES_OPERATORS)"),
    face: z.enum(["web", "api"]).describe("web: the session cookie; api: a bearer token"),
    csrfToken: z.string().nullable().describe("Web sessions: send it as X-CSRF-Token with every POST; null for bearer tokens"),
    expiresAt: z.string().nullable().describe("Web sessions: when the session ends (ISO 8601); null for bearer tokens"),
    features: z.strictObject({
      signIn: z.boolean(),
      userKeys: z.boolean(),
      personalTokens: z.boolean(),
      speech: z.enum(["server", "browser"]),
    }),
  })
  .meta({ id: "Me" });

const me = route({
  method: "GET",
  path: "/me",
  operationId: "me",
  summary: "Who the caller is (login, operator, face; a web session's CSRF token and expiry) and what this server offers",
  responses: { 200: { description: "The caller", schema: MeSchema } },
  problems: [503],
  handle: async ({ caller, session, features }) =>
    json(200, {
      login: caller.principal.login ?? null,
      operator: caller.principal.kind === "operator",
      face: caller.face === "web" ? "web" : "api",
      csrfToken: session?.csrfToken ?? null,
      expiresAt: session?.expiresAt ?? null,
      features,
    } satisfies z.infer<typeof MeSchema>),
});

export const ME_ROUTES = [me];
