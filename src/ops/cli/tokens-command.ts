/**
 * `openjules tokens add|list|revoke`: the personal tokens of JULES_API_TOKENS
 * (src/access/). `add` prints the token once (only its hash is stored);
 * `list` never prints a token or a hash; `revoke` takes effect on a running
 * server at its next request. Operator mistakes print a message and exit 1.
 */
import type { Command } from "commander";
import { addToken, revokeToken } from "../../access/personal-tokens.ts";
import { LOGIN, readTokenFile, REPOSITORY, TokenFileError, type TokenEntry } from "../../access/token-file.ts";
import { TOKEN_SCOPES, type TokenScope } from "../../domain/actor.ts";
import { loadSettings, SettingsError } from "../../settings.ts";
import { terminalSafe } from "./format.ts";
import { CliError } from "./task-commands.ts";

export interface TokensIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  setCode(code: number): void;
}

type Json = { json?: boolean };
const collect = (value: string, previous: string[]) => [...previous, value];

/** What `list` shows of an entry: everything but the hash. */
const shown = ({ hash: _hash, ...entry }: TokenEntry) => entry;
const repos = (e: TokenEntry) => e.repositories?.join(", ") ?? "every repository";

function tokenFile(env: TokensIo["env"]): string {
  const path = loadSettings(env).ops.apiTokensFile;
  if (!path) throw new CliError("JULES_API_TOKENS is not set: set it to the path of the token file (e.g. /etc/openjules/tokens.json) for the server and this command");
  return path;
}

function parseAdd(opts: { login?: string; scope: string[]; repo: string[] }) {
  const login = opts.login ?? "";
  if (!LOGIN.test(login)) throw new CliError(`--login must be a GitHub login (letters, digits, single hyphens), not "${login}"`);
  const bad = opts.scope.find((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (bad !== undefined) throw new CliError(`--scope must be read or write, not "${bad}" (repeat it for both; both are the default)`);
  const badRepo = opts.repo.find((r) => !REPOSITORY.test(r.toLowerCase()));
  if (badRepo !== undefined) throw new CliError(`--repo must be owner/name, not "${badRepo}"`);
  const scopes = (opts.scope.length ? opts.scope : TOKEN_SCOPES) as TokenScope[];
  return { login, scopes, repositories: opts.repo.length ? opts.repo : null };
}

function formatList(path: string, entries: readonly TokenEntry[]): string {
  if (entries.length === 0) return `No personal tokens in ${path} (\`openjules tokens add --login <login>\` adds one).`;
  const head = ["ID", "LOGIN", "SCOPES", "REPOSITORIES", "CREATED (UTC)", "REVOKED (UTC)"];
  const time = (t: string | null) => (t ? t.slice(0, 16).replace("T", " ") : "-");
  const rows = entries.map((e) => [e.id, e.login, e.scopes.join(","), repos(e), time(e.createdAt), time(e.revokedAt)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return terminalSafe([head, ...rows].map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n"));
}

export function registerTokenCommands(program: Command, io: TokensIo): void {
  const run =
    <A extends unknown[]>(fn: (path: string, ...args: A) => void) =>
    (...args: A) => {
      const opts = args.find((a): a is Json => typeof a === "object" && a !== null && !Array.isArray(a) && "json" in a) ?? {};
      try {
        fn(tokenFile(io.env), ...args);
      } catch (error) {
        if (!(error instanceof CliError || error instanceof SettingsError || error instanceof TokenFileError)) throw error;
        io.err(opts.json ? JSON.stringify({ error: error.message }) : error.message);
        io.setCode(1);
      }
    };
  const tokens = program.command("tokens").description("personal API tokens (JULES_API_TOKENS): each acts as one GitHub user");

  tokens
    .command("add")
    .description("create a token for a GitHub user and print it (once)")
    .requiredOption("--login <login>", "the GitHub user the token acts as")
    .option("--scope <scope>", "read or write; repeat for both (default: both)", collect, [])
    .option("--repo <owner/name>", "only this repository; repeat for more (default: every repository)", collect, [])
    .option("--json", "print JSON")
    .action(
      run((path, opts: { login?: string; scope: string[]; repo: string[] } & Json) => {
        const { token, entry } = addToken(path, parseAdd(opts));
        if (opts.json) return io.out(JSON.stringify({ token, ...shown(entry) }, null, 2));
        io.out(
          [
            `Token ${entry.id} for ${entry.login} (scopes ${entry.scopes.join(", ")}; ${repos(entry)}):`,
            "",
            `  ${token}`,
            "",
            "It is shown only now; only its hash is kept. Give it to the user, who sends it as",
            `  Authorization: Bearer ${token.slice(0, 17)}…`,
            "Writes are checked like a /jules comment from that user (role write, maintain or admin on the repository).",
            `Revoke it with: openjules tokens revoke ${entry.id}`,
          ].join("\n"),
        );
      }),
    );

  tokens
    .command("list")
    .description("the tokens: id, login, scopes, repositories, created, revoked (never the token or its hash)")
    .option("--json", "print JSON")
    .action(
      run((path, opts: Json) => {
        const entries = readTokenFile(path);
        io.out(opts.json ? JSON.stringify(entries.map(shown), null, 2) : formatList(path, entries));
      }),
    );

  tokens
    .command("revoke <id>")
    .description("revoke a token; a running server refuses it from its next request")
    .option("--json", "print JSON")
    .action(
      run((path, id: string, opts: Json) => {
        const result = revokeToken(path, id);
        if (!result) throw new CliError(`No token has the id "${id}"; \`openjules tokens list\` shows the ids`);
        const { entry, already } = result;
        if (opts.json) return io.out(JSON.stringify({ ...shown(entry), already }, null, 2));
        io.out(already ? `Token ${entry.id} of ${entry.login} was already revoked on ${entry.revokedAt?.slice(0, 10)}.` : `Revoked token ${entry.id} of ${entry.login}.`);
      }),
    );
}
