import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { attemptRepo, runAttempt, type AttemptSpec } from "./attempt.ts";
import { graderRunner } from "./grade.ts";
import { checkTask, type TaskCheck } from "./check.ts";
import { detectedToolchainPaths, instanceSettings, startInstance } from "./instance.ts";
import { startLocalGitHub } from "./local-github.ts";
import { parseModel, type ModelSpec } from "./models.ts";
import { emptyResult, summarize, type AttemptResult, type EvalReport } from "./report.ts";
import { startScriptedModels } from "./scripted.ts";
import type { EvalTask } from "./task.ts";

/**
 * An eval run: every task × model × agent × repeat, through the real
 * pipeline (attempt.ts). One local git server and GitHub stand-in for the
 * run, the scripted models' server when a scripted model is asked for, and
 * one OpenJules per model (each model is its own operator configuration),
 * its attempts `parallel` at a time. A task needing a tool this machine
 * lacks is reported as skipped. An attempt the harness itself could not run
 * (not the task failing: that is a result) is reported with its error and
 * counts as not solved.
 */

export interface EvalOptions {
  tasks: EvalTask[];
  models: ModelSpec[];
  agents: string[];
  repeat: number;
  parallel: number;
  env: Record<string, string | undefined>;
  verbose?: boolean;
  /** Told each attempt as it ends (progress on stderr). */
  onAttempt?: (result: AttemptResult, done: number, total: number) => void;
}

const sh = promisify(execFile);

async function missingTools(tasks: EvalTask[]): Promise<Map<string, string>> {
  const tools = [...new Set(tasks.flatMap((t) => t.requires))];
  const missing = new Map<string, string>();
  await Promise.all(
    tools.map(async (tool) => {
      const found = await sh("sh", ["-c", 'command -v "$1"', "sh", tool]).then(
        () => true,
        () => false,
      );
      if (!found) missing.set(tool, `${tool} is not installed on this machine`);
    }),
  );
  return missing;
}

/** Runs `work` over `items`, at most `limit` at a time, in order of start. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** `--check`: every task's check (check.ts), `parallel` at a time, in the sandbox this machine's settings describe. */
export async function checkTasks(tasks: EvalTask[], env: EvalOptions["env"], parallel: number, onTask: (check: TaskCheck) => void): Promise<TaskCheck[]> {
  const root = await mkdtemp(join(tmpdir(), "openjules-eval-"));
  await chmod(root, 0o711);
  try {
    const readOnlyPaths = (env.JULES_SANDBOX_READONLY_PATHS ?? "").trim() ? [] : await detectedToolchainPaths();
    const model = parseModel("scripted:solve", env);
    const settings = instanceSettings({
      env,
      model,
      scriptedBaseUrl: "http://127.0.0.1:9/v1",
      githubHost: "127.0.0.1",
      dataDir: root,
      readOnlyPaths,
      concurrency: 1,
      verbose: false,
    });
    const runner = graderRunner(settings);
    const checks: TaskCheck[] = [];
    await pool(tasks, parallel, async (task) => {
      const check = await checkTask(runner, task, { timeoutMs: settings.sandbox.commandTimeoutMs, workDir: root });
      checks.push(check);
      onTask(check);
    });
    return checks;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const startedAt = new Date();
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), "openjules-eval-"));
  await chmod(root, 0o711);
  const workDir = join(root, "work");
  await mkdir(workDir, { mode: 0o711 });
  const local = await startLocalGitHub();
  const scripted = options.models.some((m) => m.scripted) ? await startScriptedModels() : null;
  const results: AttemptResult[] = [];
  const total = options.tasks.length * options.models.length * options.agents.length * options.repeat;
  const report = (result: AttemptResult) => {
    results.push(result);
    options.onAttempt?.(result, results.length, total);
  };
  try {
    const missing = await missingTools(options.tasks);
    const readOnlyPaths = (options.env.JULES_SANDBOX_READONLY_PATHS ?? "").trim() ? [] : await detectedToolchainPaths();
    for (const [index, model] of options.models.entries()) {
      const specs: AttemptSpec[] = [];
      for (const agent of options.agents)
        for (const task of options.tasks) for (let run = 1; run <= options.repeat; run++) specs.push({ task, model, agent, run, repo: attemptRepo(task, model, agent, run) });
      const instance = await startInstance({
        env: options.env,
        model,
        scriptedBaseUrl: scripted?.baseUrl ?? null,
        githubHost: local.github.host,
        dataDir: join(root, `jules-${index + 1}`),
        readOnlyPaths,
        concurrency: options.parallel,
        verbose: options.verbose ?? false,
      });
      const grader = graderRunner(instance.settings);
      try {
        await pool(specs, options.parallel, async (spec) => {
          const lacking = spec.task.requires.map((tool) => missing.get(tool)).find(Boolean);
          if (lacking) return report(skipped(spec, lacking));
          try {
            report(await runAttempt({ instance, local, scripted, grader, workDir }, spec));
          } catch (error) {
            report({ ...skipped(spec, `the eval could not run this attempt: ${(error as Error).message}`), skipped: false });
          }
        });
      } finally {
        await instance.stop();
      }
    }
  } finally {
    await scripted?.close();
    await local.close();
    await rm(root, { recursive: true, force: true });
  }
  const models = options.models.map((m) => m.label);
  const order = (a: AttemptResult) => [models.indexOf(a.model), options.agents.indexOf(a.agent), options.tasks.findIndex((t) => t.name === a.task), a.run];
  results.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    const at = x.findIndex((v, i) => v !== y[i]);
    return at < 0 ? 0 : x[at]! - y[at]!;
  });
  return {
    format: "openjules-eval/1",
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(performance.now() - started),
    models,
    agents: options.agents,
    tasks: options.tasks.length,
    repeat: options.repeat,
    summary: summarize(results, models, options.agents),
    attempts: results,
  };
}

function skipped(spec: AttemptSpec, note: string): AttemptResult {
  return { ...emptyResult(spec.task, spec.model.label, spec.agent, spec.run), note, skipped: true };
}
