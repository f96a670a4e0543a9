/** The HTTP status of a failed GitHub request (Octokit's RequestError has `status`), or undefined for any other value. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null | undefined)?.status;
  return typeof status === "number" && status > 0 ? status : undefined;
}
