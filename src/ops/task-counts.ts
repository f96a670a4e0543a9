/**
 * Counts the live tasks per state for the `openjules_tasks` gauge, through
 * the TaskStore's paged `list` (the store has no count query). Only the
 * non-terminal states are counted: they are few by construction (one live
 * task per issue), while done/failed/cancelled grow without bound; those are
 * counted as they happen by `openjules_tasks_finished_total`.
 */
import { TASK_STATES, TERMINAL_STATES, type TaskState } from "../domain/model.ts";
import type { TaskStore } from "../store/port.ts";

const PAGE = 500;

export const LIVE_STATES: readonly TaskState[] = TASK_STATES.filter((s) => !TERMINAL_STATES.includes(s));

export async function liveTaskCounts(store: Pick<TaskStore, "list">): Promise<Partial<Record<TaskState, number>>> {
  const counts: Partial<Record<TaskState, number>> = {};
  for (const state of LIVE_STATES) {
    let n = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.list({ state, limit: PAGE, offset });
      n += page.length;
      if (page.length < PAGE) break;
    }
    counts[state] = n;
  }
  return counts;
}
