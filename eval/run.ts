/**
 * `npm run eval` (node eval/run.ts): runs tasks through the real OpenJules
 * pipeline and reports, per task, whether its hidden tests pass on the
 * delivered branch, with turns, tokens, cost and time, and per model and
 * agent the solve rate and total and median cost and time. A table on the
 * terminal, or JSON with --json; progress goes to stderr. See the README's
 * "Eval" section.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBundledTasks } from "./bundled.ts";
import { checkTasks, runEval } from "./harness.ts";
import { parseAgents, parseModels } from "./models.ts";
import { renderTable } from "./report.ts";
import { matchesFilter, UsageError, type EvalTask } from "./task.ts";
import { loadTasksFile } from "./tasks-file.ts";

const USAGE = `Usage: npm run eval -- [options]

  --models a,b        provider:model pairs (openai:gpt-4o, anthropic:claude-sonnet-4-6,
                      openai-compatible:<model>, scripted:solve, scripted:wrong);
                      default: JULES_PROVIDER:JULES_MODEL
  --agents a,b        builtin and external agents defined in JULES_AGENTS (default: builtin)
  --tasks a,b         only these tasks (* matches any characters: py-*, *-csv-*)
  --tasks-file FILE   a JSON Lines task set of your own instead of the bundled tasks
  --repeat N          run every task N times (default 1)
  --parallel N        attempts at a time (default 1: times are not disturbed by one another)
  --json              print the report as JSON instead of a table
  --list              list the tasks and exit
  --check             no model: prove each task fails as it is and passes with its
                      reference solution (and its own tests stay green), then exit
  --verbose           OpenJules's log on stderr
  --help              this text`;

function positive(name: string, value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--${name} must be a whole number from 1 to 1000, not "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: "string" },
      agents: { type: "string" },
      tasks: { type: "string" },
      "tasks-file": { type: "string" },
      repeat: { type: "string" },
      parallel: { type: "string" },
      json: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = process.env;
  const filter = (values.tasks ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const all: EvalTask[] = values["tasks-file"] ? loadTasksFile(values["tasks-file"]) : loadBundledTasks();
  const tasks = all.filter((t) => matchesFilter(t.name, filter));
  if (tasks.length === 0) throw new UsageError(`--tasks ${values.tasks} matches none of the ${all.length} tasks (see --list)`);
  if (values.list) {
    for (const t of tasks) console.log(`${t.name.padEnd(32)} ${t.language.padEnd(12)} ${t.issue.title}`);
    return 0;
  }
  if (values.check) {
    const checks = await checkTasks(tasks, env, positive("parallel", values.parallel), (c) =>
      console.log(`${c.problems.length === 0 ? "ok  " : "FAIL"} ${c.task}${c.problems.map((p) => `\n     ${p.replaceAll("\n", "\n     ")}`).join("")}`),
    );
    return checks.every((c) => c.problems.length === 0) ? 0 : 1;
  }
  const models = parseModels(values.models, env);
  const agents = parseAgents(values.agents, env);
  const repeat = positive("repeat", values.repeat);
  const parallel = positive("parallel", values.parallel);
  const report = await runEval({
    tasks,
    models,
    agents,
    repeat,
    parallel,
    env,
    verbose: values.verbose,
    onAttempt: (a, done, total) => {
      const outcome = a.skipped ? "skipped" : a.solved ? "solved" : "not solved";
      console.error(
        `[${done}/${total}] ${a.model} ${a.agent} ${a.task}${repeat > 1 ? ` #${a.run}` : ""}: ${outcome} (${(a.wallMs / 1000).toFixed(1)} s)${a.note ? ` — ${a.note}` : ""}`,
      );
    },
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report));
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof UsageError || String((error as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS");
  console.error(usage ? `eval: ${(error as Error).message}\n\n${USAGE}` : `eval: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = usage ? 2 : 1;
}

// Something an attempt started that still holds the process open at the end is named, and the process exits anyway.
const watchdog = setTimeout(() => {
  const open = process.getActiveResourcesInfo().filter((r) => r !== "Timeout");
  console.error(`eval: resources were left open (${open.join(", ") || "unknown"}); exiting anyway.`);
  process.exit(process.exitCode);
}, 10_000);
watchdog.unref();
