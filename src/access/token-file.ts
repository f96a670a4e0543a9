/**
 * The personal token file (JULES_API_TOKENS): JSON, `{ "version": 1, "tokens": [...] }`,
 * written 0600 and atomically (a temporary file in the same directory, then a
 * rename), so a reader never sees half a file. Reading is strict: a file that
 * is not JSON, has an unknown field, a bad value or a duplicate id is a
 * TokenFileError naming the file and the problem, never "no tokens". A file
 * that does not exist yet holds no tokens (`openjules tokens add` creates it).
 * Changes (add, revoke) read, change and write under a lock file beside it, so
 * two at once cannot lose one (a revocation lost to a concurrent add).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { TOKEN_SCOPES } from "../domain/actor.ts";

/** `owner/name`, lower case (GitHub names are case-insensitive; compare lower-cased). */
export const REPOSITORY = /^[a-z0-9_.-]+\/[a-z0-9_.-]+$/;
/** A GitHub login: letters, digits and single hyphens, at most 39 characters. */
export const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Token ids: 12 lower-case hex characters, the part after `ojp_` in the token. */
export const TOKEN_ID = /^[0-9a-f]{12}$/;
/** The longest label a token may have. */
export const LABEL_MAX = 100;

const isoDate = z.iso.datetime({ message: "must be an ISO 8601 time such as 2026-01-31T12:00:00.000Z" });

const TokenEntrySchema = z.strictObject({
  id: z.string().regex(TOKEN_ID, "must be 12 lower-case hex characters"),
  login: z.string().regex(LOGIN, "must be a GitHub login"),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1, "must name at least one scope")
    .refine((s) => new Set(s).size === s.length, "must not repeat a scope"),
  repositories: z.array(z.string().regex(REPOSITORY, "must be owner/name in lower case")).min(1, "must be null (every repository) or name at least one").nullable(),
  /** sha256 of the whole token, hex. */
  hash: z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 hex digest"),
  createdAt: isoDate,
  revokedAt: isoDate.nullable(),
  lastFour: z.string().length(4).optional(),
  /** What the person called it (the web app's Settings page asks for one). */
  label: z.string().min(1).max(LABEL_MAX).optional(),
});

const TokenFileSchema = z.strictObject({
  version: z.literal(1, { message: "must be 1" }),
  tokens: z.array(TokenEntrySchema).superRefine((tokens, ctx) => {
    const seen = new Set<string>();
    for (const [i, t] of tokens.entries()) {
      if (seen.has(t.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `repeats the id ${t.id}` });
      seen.add(t.id);
    }
  }),
});

export type TokenEntry = z.output<typeof TokenEntrySchema>;

export class TokenFileError extends Error {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`The token file ${path} (JULES_API_TOKENS) ${problem}. Fix or remove the entry by hand, or restore the file; \`openjules tokens list\` checks it.`);
    this.name = "TokenFileError";
    this.path = path;
  }
}

/** The entries of the token file; [] when it does not exist. Throws TokenFileError when it cannot be read or is malformed. */
export function readTokenFile(path: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") return [];
    throw new TokenFileError(path, `cannot be read (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TokenFileError(path, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = TokenFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "the whole file"} ${i.message}`);
    throw new TokenFileError(path, `is malformed: ${problems.join("; ")}`);
  }
  return parsed.data.tokens;
}

/** Replaces the file with these entries: mode 0600, atomically (temp file in the same directory, then rename). */
export function writeTokenFile(path: string, tokens: readonly TokenEntry[]): void {
  const text = `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: "wx" });
    chmodSync(temp, 0o600); // the umask may have narrowed, never widened, it; set it exactly
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new TokenFileError(path, `cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

const LOCK_WAIT_MS = 5_000;
/** A lock older than this was left by a process that died mid-change (a change takes milliseconds). */
const LOCK_STALE_MS = 30_000;

/** Reads the entries, lets `change` return the new ones and a result, and writes them, holding `<path>.lock` throughout. */
export function updateTokenFile<R>(path: string, change: (tokens: TokenEntry[]) => { tokens: TokenEntry[] | null; result: R }): R {
  const lock = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx", 0o600));
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw new TokenFileError(path, `cannot be locked for a change (${code ?? (error as Error).message} on ${lock})`);
      if (Date.now() - lockAge(lock) > LOCK_STALE_MS) rmSync(lock, { force: true });
      else if (Date.now() > deadline)
        throw new TokenFileError(path, `is being changed by another process (${lock} exists); try again, or remove ${lock} if no openjules command is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    const { tokens, result } = change(readTokenFile(path));
    if (tokens) writeTokenFile(path, tokens);
    return result;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** When the lock file was made (now when it is already gone). */
function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}
