/**
 * Which comments of a thread may reach the model: only those written by
 * people with write access, and only those made strictly before the trigger
 * (the command comment itself and anything later, possibly written to steer
 * the agent after the fact, is left out). A pure filter that keeps the input
 * order; a comment whose creation time cannot be read is left out, since it
 * cannot be shown to precede the trigger.
 */

export interface SelectCommentsOptions<C> {
  /** When the task was triggered (the command comment's or label event's creation time). */
  triggerAt: string | Date;
  /** Whether the comment's author has write access (admin, maintain or write). */
  isWriter: (comment: C) => boolean;
}

function toMillis(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

export function selectThreadComments<C extends { createdAt: string | Date }>(comments: readonly C[], options: SelectCommentsOptions<C>): C[] {
  const trigger = toMillis(options.triggerAt);
  if (Number.isNaN(trigger)) throw new RangeError(`selectThreadComments: triggerAt is not a valid time: ${String(options.triggerAt)}`);
  return comments.filter((comment) => {
    const created = toMillis(comment.createdAt);
    return !Number.isNaN(created) && created < trigger && options.isWriter(comment);
  });
}
