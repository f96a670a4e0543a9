/**
 * One task, live: the phase checklist and elapsed time, the plan with its
 * buttons for those allowed, the activity log as it happens, a message box,
 * the diff, the test results, tokens and cost, the pull request, and the
 * spoken summary once it ended. The event stream drives it: a change of
 * state, plan or pull request re-reads the task (GET /tasks/:id).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { TERMINAL_STATES } from "../../../src/domain/model.ts";
import { STATE_WORDS } from "../../../src/render/words.ts";
import { buildActivity, testRuns } from "../activity.ts";
import { ApiProblem, api, safeHref } from "../api.ts";
import { ActivityLog } from "../components/activity-log.tsx";
import { PhaseChecklist } from "../components/phases.tsx";
import { PlanView } from "../components/plan.tsx";
import { SummaryPlayer } from "../components/summary.tsx";
import { TaskControls } from "../components/task-controls.tsx";
import { TestResults } from "../components/test-results.tsx";
import { Loading, ProblemNotice, Section, StateBadge } from "../components/ui.tsx";
import { UsageView } from "../components/usage.tsx";
import { elapsed } from "../format.ts";
import { useAction, useApi, useNow, useTitle } from "../hooks.ts";
import { BASE, navigate } from "../router.tsx";
import { useMe } from "../session.ts";
import { allowedActions, canWrite } from "../task-actions.ts";
import { useTaskEvents } from "../task-events.ts";
import type { SpokenSummary, Task, TaskDiff, TaskPermissions, TaskView } from "../types.ts";

/** diff2html with highlight.js is most of the app's weight: loaded with the first diff shown. */
const DiffView = lazy(async () => ({ default: (await import("../components/diff-view.tsx")).DiffView }));

/** Event types after which the task itself is read again. */
const CHANGES = new Set(["state", "plan", "pull_request", "usage", "paused"]);

type View = TaskView & { permissions?: TaskPermissions };

export function TaskPage({ id }: { id: string }) {
  const me = useMe();
  const path = `/tasks/${encodeURIComponent(id)}`;
  const view = useApi<View>(path);
  const [diffRound, setDiffRound] = useState(0);
  const timer = useRef(0);
  const onNews = useCallback(
    (types: ReadonlySet<string>) => {
      if (![...types].some((t) => CHANGES.has(t))) return;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        view.reload();
        if (types.has("state")) setDiffRound((r) => r + 1);
      }, 250);
    },
    [view.reload],
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const stream = useTaskEvents(id, onNews);
  const entries = useMemo(() => buildActivity(stream.events), [stream.events]);
  const runs = useMemo(() => testRuns(entries), [entries]);
  const task = view.data?.task ?? null;
  useTitle(task ? title(task) : "Task");
  const now = useNow(1000);

  if (!view.data) {
    return (
      <>
        <h1 className="my-4 text-2xl font-bold">Task {id}</h1>
        {view.loading ? <Loading label="Loading the task…" /> : <ProblemNotice error={view.error} />}
      </>
    );
  }
  const t = view.data.task;
  const live = !TERMINAL_STATES.includes(t.state);
  const allowed = allowedActions(t, canWrite(view.data, me));
  const pr = safeHref(view.data.links.pullRequest ?? t.pullRequestUrl);
  const issue = safeHref(view.data.links.issue);

  return (
    <>
      <div className="my-4">
        <h1 className="text-2xl font-bold break-words">{title(t)}</h1>
        <p className="mt-1 text-slate-700">
          {t.owner}/{t.repo}
          {t.issueNumber !== null && <> {issue ? <a href={issue}>#{t.issueNumber}</a> : `#${t.issueNumber}`}</>}
          {t.baseBranch ? ` · from ${t.baseBranch}` : ""} · asked by {t.requestedBy} · {elapsed(t.createdAt, t.updatedAt, live, now)}
          {live ? " so far" : ""}
        </p>
        <p className="mt-2 flex flex-wrap items-center gap-2">
          <StateBadge state={t.state} />
          <span>The task is {STATE_WORDS[t.state]}.</span>
          <StreamState status={stream.status} live={live} reconnect={stream.reconnect} />
        </p>
        {stream.failure && <p className="text-red-800">{stream.failure}</p>}
      </div>
      <ProblemNotice error={view.error} title="The task could not be refreshed" />
      <PhaseChecklist task={t} history={view.data.history} />
      {t.failure && <FailureView task={t} />}
      {t.pause && t.state === "paused" && (
        <div className="my-4 rounded-md border border-amber-400 bg-amber-50 p-3 text-amber-950">
          <p className="font-semibold">Paused: {t.pause.reason}</p>
          {t.pause.summary && <p className="mt-1 whitespace-pre-wrap">{t.pause.summary}</p>}
        </div>
      )}
      {pr && (
        <p className="my-4 text-lg">
          <a href={pr} className="font-semibold">
            Open the pull request{t.pullRequestNumber !== null ? ` #${t.pullRequestNumber}` : ""}
          </a>
        </p>
      )}
      <TaskControls task={t} allowed={allowed} onTask={(next) => applyTask(next, t, view.reload)} />
      {!live && <SummarySection id={id} />}
      {(t.plan || t.answer) && <PlanSection task={t} allowed={allowed} reload={view.reload} />}
      <Section id="activity" title="Activity">
        <ActivityLog entries={entries} />
      </Section>
      <Section id="tests" title="Tests">
        <TestResults runs={runs} />
      </Section>
      {t.branch && <DiffSection id={id} round={diffRound} branch={t.branch} />}
      <Section id="usage" title="Tokens and cost">
        <UsageView task={t} />
      </Section>
    </>
  );
}

const title = (task: Task) => task.issueTitle || task.instruction.split("\n")[0]?.slice(0, 120) || `Task ${task.id}`;

function applyTask(next: Task, current: Task, reload: () => void) {
  if (next.id !== current.id) navigate(`${BASE}/tasks/${encodeURIComponent(next.id)}`);
  else reload();
}

function StreamState({ status, live, reconnect }: { status: string; live: boolean; reconnect(): void }) {
  if (!live && status !== "closed") return null;
  const words = status === "live" ? "Live" : status === "connecting" ? "Connecting…" : status === "reconnecting" ? "Reconnecting…" : "Live updates stopped";
  return (
    <span className="text-sm text-slate-700" role="status">
      {words}
      {status === "closed" && (
        <button type="button" className="ml-2 underline" onClick={reconnect}>
          Reconnect
        </button>
      )}
    </span>
  );
}

function FailureView({ task }: { task: Task }) {
  const failure = task.failure!;
  return (
    <div role="alert" className="my-4 rounded-md border border-red-300 bg-red-50 p-3 text-red-950">
      <p className="font-semibold">
        Failed while {failure.phase}: {failure.reason}
      </p>
      {failure.hint && <p className="mt-1">{failure.hint}</p>}
      {failure.output && <pre className="mt-2 max-h-80 overflow-auto rounded bg-white p-2 font-mono text-xs">{failure.output}</pre>}
    </div>
  );
}

function PlanSection({ task, allowed, reload }: { task: Task; allowed: ReturnType<typeof allowedActions>; reload: () => void }) {
  const { busy, problem, run: act } = useAction();
  const run = (action: string, body: unknown = {}) =>
    act(async () => {
      await api.post<Task>(`/tasks/${encodeURIComponent(task.id)}/${action}`, body);
      reload();
    });
  const actions = { allowed, busy, approve: () => void run("approve"), revise: (feedback: string) => run("revise", { feedback }), cancel: () => void run("cancel") };
  return (
    <Section id="plan" title={task.plan ? "Plan" : "Answer"}>
      {task.plan ? <PlanView task={task} actions={actions} /> : <p className="whitespace-pre-wrap">{task.answer}</p>}
      <ProblemNotice error={problem} />
    </Section>
  );
}

function DiffSection({ id, round, branch }: { id: string; round: number; branch: string }) {
  const diff = useApi<TaskDiff>(`/tasks/${encodeURIComponent(id)}/diff?format=json`);
  const { reload } = diff;
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
  const missing = diff.error instanceof ApiProblem && diff.error.status === 404;
  return (
    <Section
      id="diff"
      title="Changes"
      actions={
        <button type="button" className="min-h-11 rounded-md border border-slate-400 bg-white px-3 text-sm font-semibold" onClick={reload}>
          Refresh the diff
        </button>
      }
    >
      {diff.data ? (
        <>
          <p className="mb-2 text-sm text-slate-700">
            {diff.data.branch} against {diff.data.base}
          </p>
          {diff.data.diff.trim() === "" ? (
            <p>The branch has no change yet.</p>
          ) : (
            <Suspense fallback={<Loading label="Loading the diff viewer…" />}>
              <DiffView diff={diff.data.diff} />
            </Suspense>
          )}
        </>
      ) : diff.loading ? (
        <Loading label="Loading the diff…" />
      ) : missing ? (
        <p>The branch {branch} has no diff yet.</p>
      ) : (
        <ProblemNotice error={diff.error} title="The diff could not be read" />
      )}
    </Section>
  );
}

function SummarySection({ id }: { id: string }) {
  const summary = useApi<SpokenSummary>(`/tasks/${encodeURIComponent(id)}/summary`);
  if (summary.error instanceof ApiProblem && (summary.error.status === 409 || summary.error.status === 404)) return null;
  return (
    <Section id="summary" title="Summary">
      {summary.data ? <SummaryPlayer summary={summary.data} /> : summary.loading ? <Loading label="Loading the summary…" /> : <ProblemNotice error={summary.error} />}
    </Section>
  );
}
