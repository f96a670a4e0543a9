/**
 * What a caught value says, for a log line, a status reason or a wrapping
 * error: an Error's message, anything else as a string. It runs in catch
 * blocks, so it never throws (a value without a string form, such as a
 * prototype-less object, is shown as Object.prototype.toString shows it).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
