/**
 * A TaskStore that tells the feed after every write that grows a task's
 * event log (create, transition, appendEvents, addMessage), once the write
 * has committed. A notice that fails is logged, never the write's failure:
 * the event is already in the store, and readers find it at the next notice.
 * `close()` closes the feed, then the store.
 */
import { errorMessage } from "../domain/error-message.ts";
import type { Logger } from "../domain/logger.ts";
import type { LogEventData, Task, TaskLogEvent, TaskMessage } from "../domain/model.ts";
import type { AccountStore, CiFixStore, CreateResult, NewTask, TaskFilter, TaskPatch, TaskStore, TransitionInput } from "../store/port.ts";
import type { EventFeed } from "./port.ts";

class NotifyingStore implements TaskStore {
  readonly #store: TaskStore;
  readonly #feed: EventFeed;
  readonly #logger: Logger | undefined;
  /** Accounts write nothing to a task's event log: the store's own, unwrapped. */
  readonly accounts: AccountStore;
  /** CI fix records write nothing to a task's event log either. */
  readonly ciFixes: CiFixStore;

  constructor(store: TaskStore, feed: EventFeed, logger: Logger | undefined) {
    this.#store = store;
    this.accounts = store.accounts;
    this.ciFixes = store.ciFixes;
    this.#feed = feed;
    this.#logger = logger;
  }

  async create(input: NewTask, actor: string, reason: string): Promise<CreateResult> {
    const result = await this.#store.create(input, actor, reason);
    if (result.created) await this.#notify(result.task.id);
    return result;
  }

  async transition(id: string, input: TransitionInput): Promise<Task | null> {
    const task = await this.#store.transition(id, input);
    if (task) await this.#notify(id);
    return task;
  }

  async appendEvents(taskId: string, events: readonly LogEventData[]): Promise<TaskLogEvent[]> {
    const written = await this.#store.appendEvents(taskId, events);
    if (written.length > 0) await this.#notify(taskId);
    return written;
  }

  async addMessage(taskId: string, message: Pick<TaskMessage, "author" | "face" | "body">): Promise<TaskMessage> {
    const sent = await this.#store.addMessage(taskId, message);
    await this.#notify(taskId);
    return sent;
  }

  get = (id: string) => this.#store.get(id);
  findActive = (owner: string, repo: string, issueNumber: number) => this.#store.findActive(owner, repo, issueNumber);
  findByPullRequest = (owner: string, repo: string, pullRequestNumber: number) => this.#store.findByPullRequest(owner, repo, pullRequestNumber);
  findLatest = (owner: string, repo: string, issueNumber: number) => this.#store.findLatest(owner, repo, issueNumber);
  update = (id: string, patch: TaskPatch) => this.#store.update(id, patch);
  history = (id: string) => this.#store.history(id);
  list = (filter?: TaskFilter) => this.#store.list(filter);
  readEvents = (taskId: string, afterId: number, limit: number) => this.#store.readEvents(taskId, afterId, limit);
  takeMessages = (taskId: string) => this.#store.takeMessages(taskId);

  async close(): Promise<void> {
    try {
      await this.#feed.close();
    } finally {
      await this.#store.close();
    }
  }

  async #notify(taskId: string): Promise<void> {
    try {
      await this.#feed.notify(taskId);
    } catch (error) {
      this.#logger?.warn({ taskId, error: errorMessage(error) }, "Could not announce the task's new events; followers see them at the next notice.");
    }
  }
}

export function withEventFeed(store: TaskStore, feed: EventFeed, options: { logger?: Logger } = {}): TaskStore {
  return new NotifyingStore(store, feed, options.logger);
}
