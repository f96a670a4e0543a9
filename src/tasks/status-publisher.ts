import type { Logger } from "probot";
import { renderStatus, type StatusLinks } from "../render/status.ts";
import { planCommentUrl, taskPageUrl } from "../render/links.ts";
import type { TaskStore } from "../store/port.ts";
import type { Task } from "../domain/model.ts";
import type { GitHubGateways } from "../github/port.ts";

/**
 * The one live status comment of each task: created when the task starts,
 * then edited in place. Edits are coalesced: while one is in flight, newer
 * states replace each other and only the latest is written next, so a burst
 * of progress becomes one or two writes (and the pacer spaces writes per
 * installation). A failed edit is logged and never fails the task. A task
 * without an issue (created through the API, CLI, MCP or web app) has no
 * status comment: both do nothing for it.
 */
export interface StatusDeps {
  store: TaskStore;
  github: GitHubGateways;
  log: Logger;
  /** Web address of GitHub (https://github.com, or the GHE host), for links. */
  webBase: string;
  /** JULES_PUBLIC_URL: where the web app is, for the "watch live" link (none when not set). */
  publicUrl?: string | undefined;
  now: () => Date;
}

interface Slot {
  latest: Task;
  notice: string | undefined;
  flushing: Promise<void> | null;
}

export class StatusPublisher {
  readonly #slots = new Map<string, Slot>();
  readonly #deps: StatusDeps;

  constructor(deps: StatusDeps) {
    this.#deps = deps;
  }

  render(task: Task, notice?: string): string {
    const base = `${this.#deps.webBase}/${task.owner}/${task.repo}`;
    const links: StatusLinks = {};
    // An answer posted instead of a plan takes the plan's comment id (run-planning.ts).
    const answered = task.plan === null && task.answer !== null;
    const comment = planCommentUrl(this.#deps.webBase, task);
    if (comment) links[answered ? "answer" : "plan"] = comment;
    if (task.branch) links.branch = `${base}/tree/${task.branch}`;
    if (task.pullRequestUrl) links.pullRequest = task.pullRequestUrl;
    const live = taskPageUrl(this.#deps.publicUrl, task);
    if (live) links.live = live;
    return renderStatus({ task, now: this.#deps.now(), links, command: task.command, ...(notice ? { notice } : {}) });
  }

  /** Posts the status comment of a task that has none yet; returns the task with its id. */
  async create(task: Task): Promise<Task> {
    if (task.statusCommentId || task.issueNumber === null) return task;
    const gh = await this.#deps.github.forInstallation(task.installationId);
    const posted = await gh.comment(task, task.issueNumber, this.render(task));
    return this.#deps.store.update(task.id, { statusCommentId: posted.id });
  }

  /** Schedules an edit showing `task`; resolves once a write at least as new is done. */
  refresh(task: Task, notice?: string): Promise<void> {
    if (task.issueNumber === null) return Promise.resolve();
    const slot = this.#slots.get(task.id);
    if (slot) {
      if (task.updatedAt >= slot.latest.updatedAt) {
        slot.latest = task;
        slot.notice = notice;
      }
      return (slot.flushing ??= this.#flush(task.id));
    }
    const fresh: Slot = { latest: task, notice, flushing: null };
    this.#slots.set(task.id, fresh);
    return (fresh.flushing = this.#flush(task.id));
  }

  async #flush(taskId: string): Promise<void> {
    const slot = this.#slots.get(taskId);
    if (!slot) return;
    let written: Task | null = null;
    try {
      while (slot.latest !== written) {
        written = slot.latest;
        await this.#write(written, slot.notice);
      }
    } finally {
      slot.flushing = null;
      if (slot.latest === written) this.#slots.delete(taskId);
    }
  }

  async #write(task: Task, notice: string | undefined): Promise<void> {
    try {
      const current = task.statusCommentId ? task : await this.#deps.store.get(task.id);
      const commentId = current?.statusCommentId;
      const gh = await this.#deps.github.forInstallation(task.installationId);
      if (commentId) await gh.editComment(task, commentId, this.render(task, notice));
      else await this.create(task);
    } catch (error) {
      this.#deps.log.warn({ err: error, taskId: task.id }, "could not update the status comment");
    }
  }
}
