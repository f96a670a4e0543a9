/**
 * The caller's own account (the web app's Settings page; any token with a
 * user): personal tokens (list, create, revoke) and provider keys (list,
 * save, delete), over src/accounts. The operator token has no user here.
 */
import { KEY_PROVIDERS, type KeyProvider } from "../../accounts/keys.ts";
import type { AccountUseCases } from "../../accounts/use-cases.ts";
import { invalid } from "../problem.ts";
import { answer, json, type Outcome, type RouteRequest, route } from "../route.ts";
import { EmptyBody } from "../schemas/bodies.ts";
import { DeletedKeyAnswer, KeyListSchema, KeySchema, NewTokenAnswer, NewTokenBody, RevokedTokenAnswer, SaveKeyBody, TokenListSchema } from "../schemas/account.ts";

/** The routes over these use cases (null: this server was built without them, and each answers 503). */
export function accountRoutes(accounts: AccountUseCases | null) {
  const withAccounts =
    <B>(use: (accounts: AccountUseCases, request: RouteRequest<B>) => Promise<Outcome>) =>
    (request: RouteRequest<B>): Promise<Outcome> =>
      accounts
        ? use(accounts, request)
        : Promise.resolve({ problem: { code: "unavailable", status: 503, title: "Accounts unavailable", detail: "This server does not serve account settings." } });

  const listTokens = route({
    method: "GET",
    path: "/me/tokens",
    operationId: "listMyTokens",
    summary: "Your personal API tokens (never the tokens themselves)",
    responses: { 200: { description: "Your tokens, revoked ones included", schema: TokenListSchema } },
    problems: [403, 409, 503],
    handle: withAccounts((a, { caller }) => answer(a.tokens.list(caller), (list) => json(200, list))),
  });

  const createToken = route({
    method: "POST",
    path: "/me/tokens",
    operationId: "createMyToken",
    summary: "A new personal API token for you: shown once",
    description: "Its scopes are some of yours (both by default); its repositories ones you may use (your own limit by default). Needs the write scope.",
    body: { schema: NewTokenBody, required: false },
    responses: { 201: { description: "The token (shown this once) and its entry", schema: NewTokenAnswer } },
    problems: [403, 404, 409, 503],
    handle: withAccounts((a, { caller, body }) =>
      answer(a.tokens.create(caller, { scopes: body?.scopes, repositories: body?.repositories, label: body?.label }), (made) => json(201, made)),
    ),
  });

  const revokeToken = route({
    method: "POST",
    path: "/me/tokens/{tokenId}/revoke",
    operationId: "revokeMyToken",
    summary: "Revoke one of your personal tokens (it stops working at once)",
    body: { schema: EmptyBody, required: false },
    responses: { 200: { description: "The revoked token's entry", schema: RevokedTokenAnswer } },
    problems: [403, 404, 409, 503],
    handle: withAccounts((a, { caller, params }) => answer(a.tokens.revoke(caller, params.tokenId!), (revoked) => json(200, revoked))),
  });

  const listKeys = route({
    method: "GET",
    path: "/me/keys",
    operationId: "listMyKeys",
    summary: "Your saved provider keys (provider and last four characters only)",
    responses: { 200: { description: "Whether keys are allowed here, and yours", schema: KeyListSchema } },
    problems: [403],
    handle: withAccounts((a, { caller }) => answer(a.keys.list(caller), (list) => json(200, list))),
  });

  const saveKey = route({
    method: "POST",
    path: "/me/keys",
    operationId: "saveMyKey",
    summary: "Save (or replace) your API key for a provider: your tasks on it run with it",
    description: "Sealed at rest (AES-256-GCM under JULES_SECRET_KEY), never shown again; refused when the operator does not allow keys (JULES_ALLOW_USER_KEYS).",
    body: { schema: SaveKeyBody, required: true },
    responses: { 201: { description: "The saved key: provider, last four characters, date", schema: KeySchema } },
    problems: [403, 409],
    handle: withAccounts((a, { caller, body }) => answer(a.keys.save(caller, body), (saved) => json(201, saved))),
  });

  const deleteKey = route({
    method: "POST",
    path: "/me/keys/{provider}/delete",
    operationId: "deleteMyKey",
    summary: "Delete your saved key for a provider",
    body: { schema: EmptyBody, required: false },
    responses: { 200: { description: "Deleted", schema: DeletedKeyAnswer } },
    problems: [403, 404, 409],
    handle: withAccounts(async (a, { caller, params }) => {
      const provider = params.provider as KeyProvider;
      if (!KEY_PROVIDERS.includes(provider)) return { problem: invalid(`The provider is one of ${KEY_PROVIDERS.join(", ")}.`) };
      return answer(a.keys.remove(caller, provider), (deleted) => json(200, deleted));
    }),
  });

  return [listTokens, createToken, revokeToken, listKeys, saveKey, deleteKey];
}
