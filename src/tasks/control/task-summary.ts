import { createHash } from "node:crypto";
import type { Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { isTerminal } from "../../domain/state-machine.ts";
import { type ChangedFile, filesOfDiff, renderSpokenSummary, type SummaryFacts } from "../../render/spoken-summary.ts";
import { STATE_WORDS } from "../../render/words.ts";
import type { SpokenSummary } from "../../store/port.ts";
import { taskFor } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { Result, SpokenSummaryView } from "./port.ts";
import { fail, ok } from "./result.ts";

/** Events read per page when looking for the last test run. */
const PAGE = 1000;

/**
 * A finished task's spoken summary (render/spoken-summary.ts), with its audio
 * from the speech engine when there is one (src/speech), kept with the task
 * (store.accounts): the text is made again on each call from the task, its
 * log and its branch's diff, and spoken again only when it changed (its
 * hash) or the engine did. A task still running has none yet (conflict).
 */
export async function taskSummary(deps: ControlDeps, caller: Caller, id: string): Promise<Result<SpokenSummaryView>> {
  const found = await taskFor(deps, caller, id, "read");
  if (!found.ok) return found;
  const task = found.value;
  if (!isTerminal(task.state))
    return fail("conflict", "Task not finished", `Task ${id} is ${STATE_WORDS[task.state]}; its spoken summary comes when the task ends (done, failed or cancelled).`);
  const [cached, diff] = await Promise.all([deps.store.accounts.getSummary(id), changedFiles(deps, task)]);
  // A branch deleted after the merge (or GitHub away) must not turn a summary that named the files into one that does not.
  if (!diff.readable && cached) return ok(viewOf(cached));
  const text = renderSpokenSummary({ task, files: diff.files, tests: await testsOutcome(deps, task) });
  const textHash = createHash("sha256").update(text).digest("hex");
  const speech = (await deps.speech?.()) ?? null;
  if (cached && cached.textHash === textHash && cached.engine === (speech?.engine ?? null)) return ok(viewOf(cached));
  let audio: Uint8Array | null = null;
  if (speech) {
    try {
      audio = await speech.speak(text);
    } catch (err) {
      // Not kept: the next request tries the engine again; the page speaks the text meanwhile.
      deps.log.warn({ err, taskId: id }, "the speech engine could not speak a task's summary");
      return ok({ text, audio: null, engine: null });
    }
  }
  const summary: SpokenSummary = { taskId: id, textHash, text, audio, engine: speech?.engine ?? null, createdAt: deps.now().toISOString() };
  await deps.store.accounts.putSummary(summary);
  return ok(viewOf(summary));
}

const viewOf = (s: SpokenSummary): SpokenSummaryView => ({ text: s.text, audio: s.audio, engine: s.audio ? s.engine : null });

/** The files of the task's branch against its base; `readable: false` when the branch or base is gone or GitHub did not answer. */
async function changedFiles(deps: ControlDeps, task: Task): Promise<{ files: ChangedFile[] | null; readable: boolean }> {
  if (!task.branch) return { files: null, readable: true };
  try {
    const base = task.baseBranch ?? (await deps.installations.find(task))?.defaultBranch;
    const diff = base ? await (await deps.github.forInstallation(task.installationId)).compareDiff(task, base, task.branch) : null;
    return diff === null ? { files: null, readable: false } : { files: filesOfDiff(diff), readable: true };
  } catch (err) {
    deps.log.warn({ err, taskId: task.id }, "could not read a task's diff for its spoken summary");
    return { files: null, readable: false };
  }
}

/**
 * How the tests ended: the last test command of the task's log (its exit
 * code), else what the end of the task recorded (a pull request or branch
 * "tests failing", a failure in the testing phase); null when nothing tells.
 */
async function testsOutcome(deps: ControlDeps, task: Task): Promise<SummaryFacts["tests"]> {
  let last: number | null | undefined;
  for (let after = 0; ; ) {
    const page = await deps.store.readEvents(task.id, after, PAGE);
    for (const event of page) if (event.data.type === "command" && event.data.source === "tests") last = event.data.exitCode;
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  if (last !== undefined) return last === 0 ? "passed" : "failed";
  if (task.state === "failed") return task.failure?.phase === "testing" ? "failed" : null;
  const ended = (await deps.store.history(task.id)).findLast((e) => e.to === "done");
  return ended && /tests failing/.test(ended.reason) ? "failed" : null;
}
