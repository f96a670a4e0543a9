/**
 * Tasks: the caller's tasks and those of the repositories they can see,
 * newest first, filtered by repository and state (kept in the address, so a
 * filtered list can be shared), refreshed every few seconds while visible.
 */
import { useState } from "react";
import { TASK_STATES } from "../../../src/domain/model.ts";
import { formatCost } from "../../../src/render/format.ts";
import { PHASE_LABEL, PHASE_OF_STATE } from "../../../src/render/words.ts";
import { safeHref } from "../api.ts";
import { type Column, Field, inputClass, Loading, ProblemNotice, StateBadge, stateLabel, TableHead } from "../components/ui.tsx";
import { age } from "../format.ts";
import { useApi, useNow, useTitle, useVisibleInterval } from "../hooks.ts";
import { BASE, Link, navigate, useLocation } from "../router.tsx";
import type { Repository, TaskPage, TaskState, TaskSummary } from "../types.ts";

const REFRESH_MS = 5000;
const COLUMNS: Column[] = ["Task", "State", { label: "Phase", className: "hidden md:table-cell" }, "Age", { label: "Cost", className: "hidden sm:table-cell" }, "Pull request"];
const PAGE = 50;

export function TasksPage() {
  useTitle("Tasks");
  const { search } = useLocation();
  const repo = search.get("repo") ?? "";
  const state = (search.get("state") ?? "") as TaskState | "";
  const [limit, setLimit] = useState(PAGE);
  const query = new URLSearchParams({ limit: String(limit) });
  if (repo) query.set("repo", repo);
  if (state) query.set("state", state);
  const tasks = useApi<TaskPage>(`/tasks?${query}`);
  const repos = useApi<{ repositories: Repository[] }>("/repos");
  useVisibleInterval(tasks.reload, REFRESH_MS);
  const now = useNow(30_000);

  const setFilter = (name: "repo" | "state", value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setLimit(PAGE);
    const text = next.toString();
    navigate(`${BASE}/${text ? `?${text}` : ""}`, { replace: true });
  };

  return (
    <>
      <div className="my-4 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Tasks</h1>
        <Link
          href={`${BASE}/new`}
          className="inline-flex min-h-11 items-center rounded-md bg-blue-700 px-4 py-2 font-semibold text-white no-underline hover:bg-blue-800 hover:text-white"
        >
          New task
        </Link>
      </div>
      <form className="mb-4 grid gap-3 sm:grid-cols-2" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <Field id="filter-repo" label="Repository">
          <select id="filter-repo" className={inputClass} value={repo} onChange={(e) => setFilter("repo", e.target.value)}>
            <option value="">All repositories</option>
            {repo && !repos.data?.repositories.some((r) => r.fullName === repo) && <option value={repo}>{repo}</option>}
            {repos.data?.repositories.map((r) => (
              <option key={r.fullName} value={r.fullName}>
                {r.fullName}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-state" label="State">
          <select id="filter-state" className={inputClass} value={state} onChange={(e) => setFilter("state", e.target.value)}>
            <option value="">All states</option>
            {TASK_STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s)}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <ProblemNotice error={tasks.error} />
      {tasks.data === null && tasks.loading && <Loading label="Loading tasks…" />}
      {tasks.data && tasks.data.tasks.length === 0 && (
        <p className="my-6">
          {repo || state ? "No task matches these filters." : "No tasks yet."} <Link href={`${BASE}/new`}>Start a task</Link>.
        </p>
      )}
      {tasks.data && tasks.data.tasks.length > 0 && <TaskTable tasks={tasks.data.tasks} now={now} />}
      {tasks.data?.nextOffset !== null && tasks.data?.nextOffset !== undefined && (
        <button
          type="button"
          className="mt-4 min-h-11 rounded-md border border-slate-400 bg-white px-4 py-2 font-semibold"
          onClick={() => setLimit((l) => Math.min(l + PAGE, 500))}
        >
          Show more tasks
        </button>
      )}
    </>
  );
}

function TaskTable({ tasks, now }: { tasks: TaskSummary[]; now: number }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-300 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Tasks, newest first</caption>
        <TableHead columns={COLUMNS} className="bg-slate-100" />
        <tbody>
          {tasks.map((task) => {
            const phase = PHASE_OF_STATE[task.state];
            const pr = safeHref(task.pullRequestUrl);
            return (
              <tr key={task.id} className="border-t border-slate-200 align-top">
                <td className="p-2">
                  <Link href={`${BASE}/tasks/${encodeURIComponent(task.id)}`} className="font-semibold">
                    {task.title || task.id}
                  </Link>
                  <div className="text-slate-700">
                    {task.repository}
                    {task.issueNumber !== null ? ` #${task.issueNumber}` : ""} · by {task.requestedBy}
                  </div>
                  {task.failure && <div className="text-red-800">{task.failure}</div>}
                </td>
                <td className="p-2">
                  <StateBadge state={task.state} />
                </td>
                <td className="hidden p-2 md:table-cell">{phase ? PHASE_LABEL[phase] : "—"}</td>
                <td className="p-2 whitespace-nowrap">
                  <time dateTime={task.createdAt}>{age(task.createdAt, now)}</time>
                </td>
                <td className="hidden p-2 sm:table-cell">{task.costUsd === null ? "—" : formatCost(task.costUsd)}</td>
                <td className="p-2">
                  {pr ? (
                    <a href={pr} aria-label={`Pull request ${prLabel(pr)} of ${task.title || task.id}`}>
                      {prLabel(pr)}
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "#12" for a GitHub pull request address, else "Open". */
const prLabel = (url: string) => {
  const number = /\/pull\/(\d+)/.exec(url)?.[1];
  return number ? `#${number}` : "Open";
};
