/**
 * The account use cases a face calls for the Settings page (the caller's
 * personal tokens and provider keys), built once by the composition root
 * beside the control plane.
 */
import type { PersonalTokens } from "../access/personal-tokens.ts";
import type { Caller } from "../domain/actor.ts";
import type { AccountStore } from "../store/port.ts";
import type { Repository, Result } from "../tasks/control/port.ts";
import { createKeyUseCases, type KeyUseCases } from "./keys.ts";
import { createTokenUseCases, type TokenUseCases } from "./tokens.ts";

export interface AccountUseCases {
  tokens: TokenUseCases;
  keys: KeyUseCases;
}

export interface AccountDeps {
  /** The personal token file (null: JULES_API_TOKENS not set). */
  tokens: PersonalTokens | null;
  accounts: Pick<AccountStore, "putUserKey" | "listUserKeys" | "deleteUserKey">;
  /** The repositories the caller may use (the control plane's `repositories`). */
  repositories(caller: Caller): Promise<Result<Repository[]>>;
  /** settings.web: whether user keys are allowed, and the key they are sealed with. */
  web: { allowUserKeys: boolean; secretKey: Buffer };
  now?: () => Date;
}

export function createAccountUseCases(deps: AccountDeps): AccountUseCases {
  const now = deps.now ?? (() => new Date());
  return {
    tokens: createTokenUseCases({ tokens: deps.tokens, repositories: deps.repositories, now }),
    keys: createKeyUseCases({ accounts: deps.accounts, allowUserKeys: deps.web.allowUserKeys, secretKey: deps.web.secretKey, now }),
  };
}
