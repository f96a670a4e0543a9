/**
 * The task's buttons besides the plan's: Cancel, Pause, Resume (with more
 * budget), Retry, and the message box to the running agent (or a follow-up
 * on a done task's pull request). Only those the caller may use now are
 * shown (task-actions.ts); the API's refusal, if any, is shown with its detail.
 */
import { type FormEvent, useState } from "react";
import { api } from "../api.ts";
import { useAction } from "../hooks.ts";
import type { TaskAction } from "../task-actions.ts";
import type { MessageDelivery, Task } from "../types.ts";
import { Button, inputClass, labelClass, Notice, ProblemNotice } from "./ui.tsx";

const DELIVERED: Record<MessageDelivery, string> = {
  next_turn: "Sent: the agent reads it at its next turn.",
  on_resume: "Sent: the agent reads it when the task is resumed.",
  revision: "Sent as feedback: a new plan is being made.",
  follow_up: "Sent: a follow-up on the pull request has started.",
};

export function TaskControls({ task, allowed, onTask }: { task: Task; allowed: ReadonlySet<TaskAction>; onTask(task: Task): void }) {
  const { busy, problem, run: act } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [extra, setExtra] = useState("");
  const [message, setMessage] = useState("");
  const path = `/tasks/${encodeURIComponent(task.id)}`;

  const run = <T,>(action: string, body: unknown, done: (answer: T) => void) => {
    setNotice(null);
    return act(async () => done(await api.post<T>(`${path}/${action}`, body)));
  };
  const simple = (action: string, body: unknown = {}) => run<Task>(action, body, onTask);
  const resume = (event: FormEvent) => {
    event.preventDefault();
    void simple("resume", extra.trim() ? { extra: extra.trim() } : {});
  };
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run<{ task: Task; delivery: MessageDelivery }>("message", { text: message }, (answer) => {
      setMessage("");
      setNotice(DELIVERED[answer.delivery] ?? "Sent.");
      onTask(answer.task);
    });
  };
  // Awaiting approval, Cancel sits with the plan's buttons.
  const cancel = allowed.has("cancel") && task.state !== "awaiting_approval";
  if (!cancel && !allowed.has("pause") && !allowed.has("resume") && !allowed.has("retry") && !allowed.has("message")) return null;
  return (
    <div className="my-4 grid gap-3">
      <div className="flex flex-wrap gap-2">
        {allowed.has("pause") && (
          <Button onClick={() => void simple("pause")} disabled={busy}>
            Pause
          </Button>
        )}
        {allowed.has("retry") && (
          <Button variant="primary" onClick={() => void simple("retry")} disabled={busy}>
            Retry
          </Button>
        )}
        {cancel && (
          <Button variant="danger" onClick={() => void simple("cancel")} disabled={busy}>
            Cancel task
          </Button>
        )}
      </div>
      {allowed.has("resume") && (
        <form onSubmit={resume} className="flex flex-wrap items-end gap-2" aria-label="Resume the task">
          <div>
            <label htmlFor="extra-budget" className={labelClass}>
              More budget (optional)
            </label>
            <input id="extra-budget" className={inputClass} value={extra} onChange={(e) => setExtra(e.target.value)} placeholder="$2, 20 turns, 30 minutes" maxLength={100} />
          </div>
          <Button type="submit" variant="primary" disabled={busy}>
            Resume
          </Button>
        </form>
      )}
      {allowed.has("message") && (
        <form onSubmit={send} className="grid gap-2" aria-label="Message">
          <label htmlFor="message" className={labelClass}>
            {task.state === "done" ? "Ask for more changes on the pull request" : "Message to the agent"}
          </label>
          <textarea id="message" className={`${inputClass} min-h-20`} value={message} onChange={(e) => setMessage(e.target.value)} required maxLength={10_000} />
          <div>
            <Button type="submit" disabled={busy || message.trim() === ""}>
              Send
            </Button>
          </div>
        </form>
      )}
      {notice && <Notice>{notice}</Notice>}
      <ProblemNotice error={problem} />
    </div>
  );
}
