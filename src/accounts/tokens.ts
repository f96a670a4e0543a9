/**
 * The caller's own personal API tokens (the Settings page, GET/POST
 * /api/v1/me/tokens): list, create, revoke, in the token file of
 * JULES_API_TOKENS through src/access, as `openjules tokens add|list|revoke`
 * does. Only one's own: the entries of the caller's login are listed, and
 * another's token id is not found. A new token never reaches further than
 * the caller: its scopes are some of the caller's (both by default), and its
 * repositories are ones the caller may use (the caller's own list by
 * default, when the caller is limited to one). The token itself is answered
 * once, at creation; the file keeps only its hash.
 */
import { addToken, type PersonalTokens, revokeToken } from "../access/personal-tokens.ts";
import { LABEL_MAX, REPOSITORY, TOKEN_ID, type TokenEntry, TokenFileError } from "../access/token-file.ts";
import type { Caller, TokenScope } from "../domain/actor.ts";
import type { Repository, Result } from "../tasks/control/port.ts";
import { fail, ok } from "../tasks/control/result.ts";
import { type AccountOwner, accountOwner } from "./account-owner.ts";

/** A token as the caller sees it: everything but its hash. */
export type TokenView = Omit<TokenEntry, "hash">;

export interface NewTokenInput {
  scopes?: readonly TokenScope[] | undefined;
  /** `owner/name`; absent: the caller's own list (every repository when the caller has none). */
  repositories?: readonly string[] | undefined;
  label?: string | undefined;
}

export interface TokenUseCases {
  list(caller: Caller): Promise<Result<{ tokens: TokenView[] }>>;
  /** `token` is the secret, shown this once. */
  create(caller: Caller, input: NewTokenInput): Promise<Result<{ token: string; entry: TokenView }>>;
  revoke(caller: Caller, id: string): Promise<Result<{ entry: TokenView }>>;
}

export interface TokenDeps {
  /** The token file; null when JULES_API_TOKENS is not set (personal tokens off). */
  tokens: PersonalTokens | null;
  /** The repositories the caller may use (the control plane's `repositories`). */
  repositories(caller: Caller): Promise<Result<Repository[]>>;
  now?: () => Date;
}

const NO_USER = "The operator token has no user, so it has no tokens of its own; use openjules tokens add --login <login> to make a token for someone.";

export const view = ({ hash: _hash, ...entry }: TokenEntry): TokenView => entry;

export function createTokenUseCases(deps: TokenDeps): TokenUseCases {
  const now = deps.now ?? (() => new Date());

  /** The token file and the caller's account, or why this cannot be done. */
  const open = (caller: Caller, action: "read" | "write"): Result<{ file: PersonalTokens; owner: AccountOwner }> => {
    const owner = accountOwner(caller, action, NO_USER);
    if (!owner.ok) return owner;
    if (!deps.tokens)
      return fail(
        "conflict",
        "Personal tokens are off",
        "Personal tokens are off on this server (JULES_API_TOKENS is not set); ask the operator to set JULES_API_TOKENS to a token file.",
      );
    return ok({ file: deps.tokens, owner: owner.value });
  };

  return {
    async list(caller) {
      const opened = open(caller, "read");
      if (!opened.ok) return opened;
      const { file, owner } = opened.value;
      return fileAnswer(() => ok({ tokens: mine(file.entries(), owner.login).map(view) }));
    },

    async create(caller, input) {
      const opened = open(caller, "write");
      if (!opened.ok) return opened;
      const { file, owner } = opened.value;
      const scopes = input.scopes?.length ? [...new Set(input.scopes)] : [...owner.scopes];
      const beyond = scopes.filter((s) => !owner.scopes.includes(s));
      if (beyond.length > 0)
        return fail("forbidden", "Scope not yours", `You hold only the ${owner.scopes.join(", ")} scope, so a token you make cannot have ${beyond.join(", ")}.`);
      const label = input.label?.trim() || undefined;
      if (label && (label.length > LABEL_MAX || /\p{Cc}/u.test(label))) return fail("invalid", "Invalid label", `A label is one line of at most ${LABEL_MAX} characters.`);
      const repositories = await chosenRepositories(deps, caller, owner, input.repositories);
      if (!repositories.ok) return repositories;
      return fileAnswer(() => {
        const made = addToken(file.path, { login: owner.login, scopes, repositories: repositories.value, label }, now());
        return ok({ token: made.token, entry: view(made.entry) });
      });
    },

    async revoke(caller, id) {
      const opened = open(caller, "write");
      if (!opened.ok) return opened;
      const { file, owner } = opened.value;
      const notFound = fail<{ entry: TokenView }>("not_found", "Token not found", `You have no token ${id.slice(0, 40)}; list your tokens to see their ids.`);
      if (!TOKEN_ID.test(id)) return notFound;
      return fileAnswer(() => {
        // Only one's own: another's id is as unknown as one that never existed.
        if (!mine(file.entries(), owner.login).some((t) => t.id === id)) return notFound;
        const revoked = revokeToken(file.path, id, now());
        return revoked ? ok({ entry: view(revoked.entry) }) : notFound;
      });
    },
  };
}

const mine = (entries: readonly TokenEntry[], login: string) => entries.filter((t) => t.login.toLowerCase() === login.toLowerCase());

/** The new token's repositories: each one the caller may use; by default the caller's own limit. */
async function chosenRepositories(deps: TokenDeps, caller: Caller, owner: AccountOwner, asked: readonly string[] | undefined): Promise<Result<string[] | null>> {
  if (asked === undefined || asked.length === 0) return ok(owner.repositories && [...owner.repositories]);
  const wanted = [...new Set(asked.map((r) => r.trim().toLowerCase()))];
  const malformed = wanted.filter((r) => !REPOSITORY.test(r));
  if (malformed.length > 0) return fail("invalid", "Invalid repository", `${malformed.slice(0, 5).join(", ")}: a repository is owner/name.`);
  const usable = await deps.repositories(caller);
  if (!usable.ok) return usable;
  const yours = new Set(usable.value.map((r) => r.fullName.toLowerCase()));
  const unknown = wanted.filter((r) => !yours.has(r));
  if (unknown.length > 0)
    return fail(
      "not_found",
      "Repository not found",
      `You cannot use ${unknown.slice(0, 5).join(", ")} here; a token can only name repositories you see in the list of repositories.`,
    );
  return ok(wanted);
}

/** The token file's own problems (malformed, locked, unwritable) as an answer the person can pass on. */
function fileAnswer<T>(work: () => Result<T>): Result<T> {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof TokenFileError)) throw error;
    return fail(
      "unavailable",
      "Tokens unavailable",
      "Personal tokens cannot be read or changed right now: the server's token file has a problem; ask the operator (`openjules tokens list` names it).",
    );
  }
}
