/**
 * A task event as the API shows it: every string of its data redacted
 * (known secret shapes and the process's own secrets, src/security/redact.ts).
 * The log holds text from the model and from commands; a writer that forgot
 * to redact (a failure reason quoting the model's summary did) must not make
 * the API the place a secret is shown.
 */
import type { TaskLogEvent } from "../domain/model.ts";
import { redactDeep } from "../security/redact.ts";

export function redactEvent(event: TaskLogEvent, secrets: readonly string[]): TaskLogEvent {
  return { ...event, data: redactDeep(event.data, secrets) };
}

export async function* redactEvents(events: AsyncIterable<TaskLogEvent>, secrets: readonly string[]): AsyncGenerator<TaskLogEvent> {
  for await (const event of events) yield redactEvent(event, secrets);
}
