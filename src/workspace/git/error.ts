export class GitError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly authFailed: boolean;
  constructor(message: string, args: readonly string[], exitCode: number | null, stderr: string, authFailed: boolean) {
    super(message);
    this.name = "GitError";
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.authFailed = authFailed;
  }
}

const AUTH_FAILURE = /returned error: 40[13]|authentication failed|could not read (username|password)|terminal prompts disabled|invalid username or password|bad credentials/i;

/** Whether git's (redacted) stderr says the remote refused the credentials. */
export const isAuthFailure = (stderr: string): boolean => AUTH_FAILURE.test(stderr);
