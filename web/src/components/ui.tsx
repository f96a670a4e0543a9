/** The small pieces every page uses: buttons, notices of problems, loading, state badges, sections. */
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { describeError } from "../api.ts";
import type { TaskState } from "../types.ts";

const VARIANTS = {
  primary: "bg-blue-700 text-white hover:bg-blue-800 disabled:bg-slate-400",
  secondary: "bg-white text-slate-900 border border-slate-400 hover:bg-slate-100 disabled:text-slate-500",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-slate-400",
} as const;

export function Button({ variant = "secondary", className = "", type = "button", ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof VARIANTS }) {
  return (
    <button
      type={type}
      className={`inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 text-sm font-semibold disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}

/** A failure, with the server's detail (problem+json) and each refused field. */
export function ProblemNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const { title: problemTitle, detail } = describeError(error);
  const errors = (error as { errors?: { path: string; message: string }[] }).errors ?? [];
  return (
    <div role="alert" className="my-3 rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
      <p className="font-semibold">{title ?? problemTitle}</p>
      <p>{detail}</p>
      {errors.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="my-3 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
      {children}
    </p>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className="my-4 text-slate-700">
      {label}
    </p>
  );
}

const STATE_STYLE: Record<TaskState, string> = {
  queued: "bg-slate-200 text-slate-900",
  planning: "bg-blue-100 text-blue-900",
  awaiting_approval: "bg-amber-100 text-amber-900",
  revising: "bg-blue-100 text-blue-900",
  approved: "bg-blue-100 text-blue-900",
  working: "bg-blue-100 text-blue-900",
  testing: "bg-violet-100 text-violet-900",
  paused: "bg-amber-100 text-amber-900",
  done: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
  cancelled: "bg-slate-200 text-slate-900",
};

export const stateLabel = (state: TaskState) => state.replace("_", " ");

export function StateBadge({ state }: { state: TaskState }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${STATE_STYLE[state]}`}>{stateLabel(state)}</span>;
}

export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="my-6 rounded-lg border border-slate-300 bg-white p-4 shadow-sm">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export const inputClass = "block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-base text-slate-900";
export const labelClass = "block text-sm font-semibold text-slate-900";

/** A labelled control with an optional hint under it (the control gets `id`, and `aria-describedby={`${id}-hint`}` when there is a hint). */
export function Field({ id, label, hint, children, className = "" }: { id: string; label: string; hint?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
      {hint !== undefined && (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-700">
          {hint}
        </p>
      )}
    </div>
  );
}

export type Column = string | { label: string; className?: string; hidden?: boolean };

/** A table's header row; a `hidden` column's name is for screen readers only. */
export function TableHead({ columns, className = "" }: { columns: Column[]; className?: string }) {
  return (
    <thead className={className}>
      <tr>
        {columns.map((column) => {
          const { label, className: extra = "", hidden = false } = typeof column === "string" ? { label: column } : column;
          return (
            <th key={label} scope="col" className={`p-2 ${extra}`}>
              {hidden ? <span className="sr-only">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
