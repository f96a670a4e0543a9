/**
 * The caller's own provider API keys (the Settings page, GET/POST
 * /api/v1/me/keys), when the operator allows them (JULES_ALLOW_USER_KEYS):
 * saved sealed with AES-256-GCM under JULES_SECRET_KEY (src/security/sealed.ts)
 * in the store (store.accounts), one per provider; listed by provider, last
 * four characters and date only, never the key; deletable. `openUserKey` is
 * and createOwnKeys are the pipeline's way to the key a task runs on (src/tasks/own-key.ts).
 */
import type { Caller } from "../domain/actor.ts";
import { open, seal } from "../security/sealed.ts";
import type { AccountStore, UserKey } from "../store/port.ts";
import type { Result } from "../tasks/control/port.ts";
import { fail, ok } from "../tasks/control/result.ts";
import type { OpenedKey, OwnKeys } from "../tasks/own-key.ts";
import { accountOwner } from "./account-owner.ts";

export const KEY_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const satisfies readonly UserKey["provider"][];
export type KeyProvider = UserKey["provider"];

/** A saved key as it is shown again: never the key. */
export interface KeyView {
  provider: KeyProvider;
  last4: string;
  createdAt: string;
}

export interface KeyUseCases {
  /** `enabled`: whether the operator allows keys (when not, the list is empty). */
  list(caller: Caller): Promise<Result<{ enabled: boolean; keys: KeyView[] }>>;
  /** Saves (or replaces) the caller's key for that provider. */
  save(caller: Caller, input: { provider: KeyProvider; apiKey: string }): Promise<Result<KeyView>>;
  remove(caller: Caller, provider: KeyProvider): Promise<Result<{ deleted: true }>>;
}

export interface KeyDeps {
  accounts: Pick<AccountStore, "putUserKey" | "listUserKeys" | "deleteUserKey">;
  /** settings.web.allowUserKeys (JULES_ALLOW_USER_KEYS). */
  allowUserKeys: boolean;
  /** settings.web.secretKey (JULES_SECRET_KEY): what keys are sealed with. */
  secretKey: Buffer;
  now?: () => Date;
}

/** What a key may look like: printable characters without spaces, as every provider's keys are. */
const KEY_SHAPE = /^[\x21-\x7e]{8,512}$/;
const NO_USER = "The operator token has no user, so it has no provider keys of its own; the operator's keys are the server's settings (OPENAI_API_KEY, ANTHROPIC_API_KEY).";

/** Keys are kept under the lower-cased login (GitHub logins are case-insensitive; a token file may spell one otherwise). */
export const keyLogin = (login: string): string => login.toLowerCase();

export const keyView = (key: UserKey): KeyView => ({ provider: key.provider, last4: key.last4, createdAt: key.createdAt });

const off = <T>(): Result<T> =>
  fail(
    "conflict",
    "Provider keys are off",
    "Saving your own provider keys is off on this server; the operator turns it on with JULES_ALLOW_USER_KEYS=true (and JULES_SECRET_KEY).",
  );

export function createKeyUseCases(deps: KeyDeps): KeyUseCases {
  const now = deps.now ?? (() => new Date());
  return {
    async list(caller) {
      const owner = accountOwner(caller, "read", NO_USER);
      if (!owner.ok) return owner;
      if (!deps.allowUserKeys) return ok({ enabled: false, keys: [] });
      return ok({ enabled: true, keys: (await deps.accounts.listUserKeys(keyLogin(owner.value.login))).map(keyView) });
    },

    async save(caller, input) {
      const owner = accountOwner(caller, "write", NO_USER);
      if (!owner.ok) return owner;
      if (!deps.allowUserKeys) return off();
      if (!KEY_PROVIDERS.includes(input.provider)) return fail("invalid", "Unknown provider", `The provider is one of ${KEY_PROVIDERS.join(", ")}.`);
      const apiKey = input.apiKey.trim();
      if (!KEY_SHAPE.test(apiKey)) return fail("invalid", "Invalid key", "An API key is 8 to 512 printable characters without spaces; paste it as the provider shows it.");
      const key: UserKey = {
        login: keyLogin(owner.value.login),
        provider: input.provider,
        sealed: seal(apiKey, deps.secretKey),
        last4: apiKey.slice(-4),
        createdAt: now().toISOString(),
      };
      await deps.accounts.putUserKey(key);
      return ok(keyView(key));
    },

    async remove(caller, provider) {
      const owner = accountOwner(caller, "write", NO_USER);
      if (!owner.ok) return owner;
      if (!deps.allowUserKeys) return off();
      if (!KEY_PROVIDERS.includes(provider) || !(await deps.accounts.deleteUserKey(keyLogin(owner.value.login), provider)))
        return fail("not_found", "Key not found", `You have no saved ${String(provider).slice(0, 40)} key.`);
      return ok({ deleted: true });
    },
  };
}

/**
 * The pipeline's view of the saved keys (src/tasks/own-key.ts): which one a new task runs on, and the key itself
 * when a phase runs. Logins are compared lower-cased.
 */
export function createOwnKeys(deps: { accounts: Pick<AccountStore, "getUserKey">; secretKey: Buffer; defaultProvider: string | null }): OwnKeys {
  const known = (provider: string): provider is KeyProvider => (KEY_PROVIDERS as readonly string[]).includes(provider);
  return {
    defaultProvider: deps.defaultProvider,
    async saved(login, provider) {
      if (!known(provider)) return null;
      return (await deps.accounts.getUserKey(keyLogin(login), provider))?.last4 ?? null;
    },
    async open(login, provider) {
      if (!known(provider)) return { found: false, reason: "missing" };
      return openUserKey(deps, login, provider);
    },
  };
}

export async function openUserKey(deps: { accounts: Pick<AccountStore, "getUserKey">; secretKey: Buffer }, login: string, provider: KeyProvider): Promise<OpenedKey> {
  const saved = await deps.accounts.getUserKey(keyLogin(login), provider);
  if (!saved) return { found: false, reason: "missing" };
  const apiKey = open(saved.sealed, deps.secretKey);
  return apiKey === null ? { found: false, reason: "unreadable" } : { found: true, apiKey, last4: saved.last4 };
}
