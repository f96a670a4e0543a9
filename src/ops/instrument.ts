/**
 * Decorators that record metrics around the ports the process entry builds,
 * so the domain code stays free of metrics calls: the webhook intake
 * (deliveries by event and outcome), the task store (time spent in each state,
 * recorded when a task leaves it, and tasks finished); the sandbox runner's
 * is in metered-runner.ts (loaded only by processes that run commands). Each
 * returns an object with the same interface.
 */
import type { InboundEvent } from "../github/events.ts";
import type { Intake } from "../github/intake.ts";
import type { TaskStore } from "../store/port.ts";
import { TERMINAL_STATES } from "../domain/model.ts";
import type { Metrics } from "./metrics.ts";

/** GitHub's name of the webhook behind an inbound event (`issue_comment`, `issues.labeled`, ...). */
export function webhookName(event: InboundEvent): string {
  switch (event.kind) {
    case "comment":
      return event.source === "issue" ? "issue_comment" : event.source === "review" ? "pull_request_review" : "pull_request_review_comment";
    case "labeled":
      return "issues.labeled";
    case "opened":
      return "issues.opened";
    case "closed":
      return event.isPullRequest ? "pull_request.closed" : "issues.closed";
    case "assignment":
      return `issues.${event.action}`;
    case "changes_requested":
      return "pull_request_review";
    case "ci":
      return `${event.source}.completed`;
  }
}

export function meteredIntake(intake: Intake, metrics: Pick<Metrics, "webhook">): Intake {
  return {
    async accept(event, deliveryId) {
      try {
        const outcome = await intake.accept(event, deliveryId);
        metrics.webhook(webhookName(event), outcome);
        return outcome;
      } catch (error) {
        metrics.webhook(webhookName(event), "error");
        throw error;
      }
    },
  };
}

/**
 * After each applied transition, the time since the task entered the state it
 * left (from its history's timestamps, so it holds across processes) is recorded as
 * that phase's duration. Metrics never fail a transition.
 */
export function meteredStore(store: TaskStore, metrics: Pick<Metrics, "phase" | "taskFinished">): TaskStore {
  return {
    create: (input, actor, reason) => store.create(input, actor, reason),
    get: (id) => store.get(id),
    findActive: (owner, repo, issue) => store.findActive(owner, repo, issue),
    findByPullRequest: (owner, repo, pr) => store.findByPullRequest(owner, repo, pr),
    findLatest: (owner, repo, issue) => store.findLatest(owner, repo, issue),
    update: (id, patch) => store.update(id, patch),
    history: (id) => store.history(id),
    list: (filter) => store.list(filter),
    appendEvents: (taskId, events) => store.appendEvents(taskId, events),
    readEvents: (taskId, afterId, limit) => store.readEvents(taskId, afterId, limit),
    addMessage: (taskId, message) => store.addMessage(taskId, message),
    takeMessages: (taskId) => store.takeMessages(taskId),
    accounts: store.accounts,
    ciFixes: store.ciFixes,
    close: () => store.close(),
    async transition(id, input) {
      const task = await store.transition(id, input);
      if (!task) return task;
      try {
        const events = await store.history(id);
        const mine = events.findLastIndex((e) => e.to === task.state);
        const leaving = events[mine];
        const entered = mine > 0 ? events[mine - 1] : undefined;
        if (leaving?.from && entered?.to === leaving.from) metrics.phase(leaving.from, Date.parse(leaving.at) - Date.parse(entered.at));
        if (TERMINAL_STATES.includes(task.state)) metrics.taskFinished(task.state);
      } catch {
        // Metrics are best effort; the transition happened.
      }
      return task;
    },
  };
}
