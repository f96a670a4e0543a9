/** Tokens and cost of the task, and the budget it was given. */
import { formatCost, formatCount, formatDuration } from "../../../src/render/format.ts";
import type { Task } from "../types.ts";

export function UsageView({ task }: { task: Task }) {
  const usage = task.usage;
  const rows: [string, string][] = [];
  if (task.model) rows.push(["Model", task.model]);
  if (usage) {
    rows.push(["Input tokens", formatCount(usage.inputTokens)], ["Output tokens", formatCount(usage.outputTokens)], ["Model calls", formatCount(usage.calls)]);
    rows.push(["Model time", formatDuration(usage.wallMs)], ["Cost", formatCost(usage.costUsd)]);
  }
  // A task on its requester's own provider key (JULES_ALLOW_USER_KEYS): whose key the usage is billed to.
  if (task.ownKey) rows.push(["Billed to", `${task.ownKey.login}'s own ${task.ownKey.provider} key ••••${task.ownKey.last4}`]);
  else if (usage) rows.push(["Billed to", "the operator's key"]);
  if (task.costEstimateUsd !== null) rows.push(["Estimated cost of the plan", formatCost(task.costEstimateUsd)]);
  if (task.extraBudget) {
    const extra = task.extraBudget;
    rows.push(["Extra budget", `${formatCount(extra.turns)} turns, ${formatCount(extra.tokens)} tokens, ${formatCost(extra.costUsd)}, ${extra.minutes} minutes`]);
  }
  if (rows.length === 0) return <p className="text-slate-700">No model use yet.</p>;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="font-semibold">{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
