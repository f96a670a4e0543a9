export type TokenProvider = () => Promise<string>;

export interface GitAuth {
  /** The remote URL the token is for; the header is sent only to its origin. */
  remoteUrl: string;
  token: TokenProvider;
}

export interface GitRunOptions {
  cwd: string;
  auth?: GitAuth | undefined;
  /** Bytes written to git's stdin, then closed. Must not be empty (see git/run.ts). */
  input?: string | Uint8Array;
  /** Extra environment: the author and committer identity only (see git/guards.ts). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Cap on each of stdout and stderr; past it git is stopped and the error says "maxBuffer". */
  maxBuffer?: number;
  signal?: AbortSignal | undefined;
}

export interface GitResult {
  stdout: string;
  stderr: string;
}

export interface GitBytesResult {
  stdout: Buffer;
  stderr: string;
}
