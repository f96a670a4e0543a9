import type { InboundEvent } from "../github/events.ts";
import type { Job, JobHandlers } from "../queue/port.ts";
import { PermanentJobError } from "../queue/port.ts";
import type { TaskDeps } from "../tasks/deps.ts";
import { failTask } from "../tasks/fail-task.ts";
import { redactSecrets } from "../security/redact.ts";
import { runExecution } from "../tasks/run-execution.ts";
import { runPlanning } from "../tasks/run-planning.ts";
import { afterCiFixRun } from "../tasks/ci-fix/after-run.ts";
import { handleInbound } from "./inbound.ts";
import { loadRepoConfig } from "../tasks/repo-config.ts";
import { commandWord } from "../render/escape.ts";
import type { Task } from "../domain/model.ts";
import { taskLogBindings } from "../ops/log-context.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { Settings } from "../settings.ts";

/**
 * The worker: routes each job to its use case. A job that ran out of
 * attempts (GitHub or the model kept failing, or the worker died too often)
 * ends its task as failed with a message in the thread, never silently.
 */
export function jobHandlers(
  deps: TaskDeps,
  options: {
    ownLogin: () => string | null;
    metrics?: Pick<Metrics, "jobWait">;
    /** settings.agent.caps, for `/jules resume`. */
    caps?: Settings["agent"]["caps"];
    /** settings.github.assignee (JULES_ASSIGNEE), the assignment trigger's default login. */
    assignee?: string | undefined;
  },
): JobHandlers {
  return {
    async run(job) {
      const log = deps.log.child({ job: job.id, attempt: job.attempt });
      if (job.readyAt !== undefined) options.metrics?.jobWait(job.name, Math.max(0, Date.now() - job.readyAt));
      try {
        await route(job, log);
      } catch (error) {
        log.warn({ err: error }, job.attempt < job.maxAttempts ? "job attempt failed; it will be retried" : "job attempt failed");
        throw error;
      }
    },

    async onFailed(job, error) {
      deps.log.error({ err: error, job: job.id }, "job failed for good");
      if (job.name === "inbound") return;
      const interrupted = job.lastError === "interrupted" || /^interrupted/.test(error.message);
      const task = await deps.store.get(taskIdOf(job));
      await failTask(deps, taskIdOf(job), {
        phase: job.name === "plan" ? "planning" : "working",
        reason: interrupted
          ? "The worker running this task stopped (restart or crash) more often than allowed, so the task was marked interrupted."
          : `It kept failing after ${job.maxAttempts} attempts: ${redactSecrets(error.message, deps.secrets).slice(0, 300)}`,
        hint: `${startAgain(task)} If this keeps happening, the operator should check the OpenJules logs.`,
      });
    },
  };

  async function route(job: Job, log: TaskDeps["log"]): Promise<void> {
    if (job.name === "inbound") {
      const event = job.data as InboundEvent;
      const gh = await deps.github.forInstallation(event.installationId);
      await handleInbound({ deps, gh, ownLogin: options.ownLogin(), caps: options.caps, assignee: options.assignee }, event);
      return;
    }
    const taskId = taskIdOf(job);
    const task = await deps.store.get(taskId);
    if (!task) throw new PermanentJobError(`task ${taskId} does not exist`);
    const gh = await deps.github.forInstallation(task.installationId);
    const loaded = await loadRepoConfig(gh, task);
    if (!loaded.ok) {
      const keys = loaded.problems.map((p) => p.key).join(", ");
      await failTask(deps, task.id, {
        phase: job.name === "plan" ? "planning" : "working",
        reason: `.github/jules.yml is invalid (${keys}).`,
        hint: `Fix the file on the default branch (comment \`/${commandWord(loaded.commandGuess)} help\` to see the settings), then start a new task.`,
      });
      return;
    }
    if (job.lastError === "interrupted") {
      log.warn({ taskId }, "resuming a task whose worker stopped");
      await deps.status.refresh(task, "Resumed after OpenJules restarted.");
    }
    const ctx = { gh, config: loaded.config, ownLogin: options.ownLogin(), attempt: job.attempt, signal: job.signal };
    // Every log line of the task's work carries its id, repository and issue.
    const taskDeps = { ...deps, log: log.child(taskLogBindings(task)) };
    if (job.name === "plan") await runPlanning(taskDeps, taskId, ctx);
    else {
      await runExecution(taskDeps, taskId, ctx);
      await afterCiFixRun(taskDeps, gh, taskId, loaded.config);
    }
  }
}

/** How to start again, in the repository's command word, where the task was asked for. */
function startAgain(task: Task | null): string {
  const word = `/${commandWord(task?.command ?? "jules")}`;
  return task?.kind === "follow_up" ? `Comment \`${word} <what to do>\` on the pull request to try again.` : `Comment \`${word}\` on the issue to start again.`;
}

function taskIdOf(job: Job): string {
  const data = job.data as { taskId?: unknown };
  if (typeof data?.taskId !== "string") throw new PermanentJobError(`job ${job.id} has no task id`);
  return data.taskId;
}
