/**
 * Bodies and answers of the account routes (/api/v1/me/tokens, /me/keys):
 * the caller's personal tokens and provider keys. A key is taken, never
 * answered: only its provider, last four characters and date come back.
 */
import { z } from "zod";
import { LABEL_MAX } from "../../access/token-file.ts";
import { KEY_PROVIDERS } from "../../accounts/keys.ts";
import { TOKEN_SCOPES } from "../../domain/actor.ts";
import { REPOSITORY } from "./bodies.ts";

const time = () => z.string().describe("ISO 8601");
const ScopeSchema = z.enum(TOKEN_SCOPES);
export const ProviderSchema = z.enum(KEY_PROVIDERS).meta({ id: "KeyProvider" });

export const TokenEntrySchema = z
  .strictObject({
    id: z.string().describe("What revoke takes (the part after ojp_ in the token)"),
    login: z.string(),
    scopes: z.array(ScopeSchema),
    repositories: z.array(z.string()).nullable().describe("owner/name (lower case) the token may use; null: every repository the app is installed on"),
    createdAt: time(),
    revokedAt: time().nullable(),
    lastFour: z.string().optional().describe("The token's last four characters"),
    label: z.string().optional(),
  })
  .meta({ id: "PersonalToken" });

export const NewTokenBody = z
  .strictObject({
    scopes: z.array(ScopeSchema).min(1).optional().describe("Some of your own scopes; both (read and write) by default"),
    repositories: z
      .array(z.string().regex(REPOSITORY, "must look like owner/name"))
      .min(1)
      .max(100)
      .optional()
      .describe("Repositories you may use; by default your own limit (every repository when you have none)"),
    label: z.string().min(1).max(LABEL_MAX).optional().describe("A name to tell the token apart"),
  })
  .meta({ id: "NewToken" });

export const TokenListSchema = z.strictObject({ tokens: z.array(TokenEntrySchema) }).meta({ id: "PersonalTokens" });
export const NewTokenAnswer = z.strictObject({ token: z.string().describe("The token: shown this once, never again"), entry: TokenEntrySchema }).meta({ id: "NewTokenAnswer" });
export const RevokedTokenAnswer = z.strictObject({ entry: TokenEntrySchema }).meta({ id: "RevokedToken" });

export const KeySchema = z
  .strictObject({ provider: ProviderSchema, last4: z.string().describe("The key's last four characters: all that is ever shown"), createdAt: time() })
  .meta({ id: "ProviderKey" });
export const KeyListSchema = z
  .strictObject({ enabled: z.boolean().describe("Whether the operator allows your own keys (JULES_ALLOW_USER_KEYS)"), keys: z.array(KeySchema) })
  .meta({ id: "ProviderKeys" });
export const SaveKeyBody = z
  .strictObject({
    provider: ProviderSchema,
    apiKey: z.string().min(1).max(1024).describe("The provider's API key: sealed at rest, used only for your tasks on that provider, never shown again"),
  })
  .meta({ id: "SaveProviderKey" });
export const DeletedKeyAnswer = z.strictObject({ deleted: z.literal(true) }).meta({ id: "DeletedProviderKey" });
