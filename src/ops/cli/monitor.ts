/**
 * `openjules tasks monitor <id>` and `events <id>`: read the task, then its
 * event log (history first, then live) through the client, until the task
 * stops. On a terminal the screen of monitor-view.ts is redrawn in place
 * (cursor movement only, no dependency) on every event and every second;
 * elsewhere each event is one plain line. A state event that may end the
 * watch is confirmed with a fresh read of the task, so an old pause in the
 * history of a task that went on does not end it. The remote client
 * reconnects with Last-Event-ID when the stream drops.
 */
import { TERMINAL_STATES, type Task, type TaskLogEvent, type TaskState } from "../../domain/model.ts";
import { unwrap, type TaskClient } from "./client.ts";
import { eventLines, MONITOR_EXIT, MONITOR_STOPS, monitorScreen, monitorSummary } from "./monitor-view.ts";

/** A terminal to redraw on; absent when stdout is a pipe or a file. */
export interface Screen {
  columns: number;
  write(text: string): void;
}

export interface WatchIo {
  out(text: string): void;
  screen?: Screen | null;
  /** Aborted on Ctrl-C: the watch ends with exit code 130. */
  signal?: AbortSignal;
  now?: () => Date;
}

const PAGE = 500;
const KEPT_OUTPUT = 300;
const FRAME_MS = 80;

/** Every event of a task's log after `after`, page by page. */
async function* history(client: TaskClient, id: string, after: number): AsyncGenerator<TaskLogEvent> {
  for (let last = after; ; ) {
    const page = await unwrap(client.events(id, { after: last, limit: PAGE }));
    yield* page;
    if (page.length < PAGE) return;
    last = page.at(-1)!.id;
  }
}

/** The task's events until it rests in one of `stops` (confirmed by a fresh read); the history alone when it already does. */
async function* watch(client: TaskClient, task: Task, stops: readonly TaskState[], after: number, signal: AbortSignal): AsyncGenerator<TaskLogEvent> {
  if (stops.includes(task.state)) {
    yield* history(client, task.id, after);
    return;
  }
  const stream = await unwrap(client.follow(task.id, { after, signal }));
  // Waiting for the next event holds no handle of its own, and the feed may hold none either (the polling feed's
  // timer is unref'd): without this the local CLI would end (exit 13) after the history instead of waiting.
  const alive = setInterval(() => undefined, 60_000);
  try {
    for await (const event of stream) {
      yield event;
      if (event.data.type === "state" && stops.includes(event.data.to)) {
        const now = await unwrap(client.get(task.id));
        if (now.task.state === event.data.to) return;
      }
    }
  } finally {
    clearInterval(alive);
  }
}

function linked(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  signal?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller;
}

export async function monitorTask(client: TaskClient, id: string, io: WatchIo, outputLines = 8): Promise<number> {
  let { task } = await unwrap(client.get(id));
  const controller = linked(io.signal);
  const events: TaskLogEvent[] = [];
  const now = io.now ?? (() => new Date());
  let drawn = 0;
  const draw = () => {
    if (!io.screen) return;
    const text = monitorScreen(task, events, now(), { width: Math.max(20, io.screen.columns), outputLines });
    io.screen.write(`${drawn > 0 ? `\u001b[${drawn}F\u001b[0J` : "\u001b[?25l"}${text}\n`);
    drawn = text.split("\n").length;
  };
  // Events arriving together (the history, a burst of output) make one frame.
  let pending: NodeJS.Timeout | null = null;
  const soon = () => void (pending ??= setTimeout(() => ((pending = null), draw()), FRAME_MS));
  const ticker = io.screen ? setInterval(draw, 1000) : null;
  if (!io.screen) io.out(`Monitoring task ${task.id} (${task.owner}/${task.repo}), ${task.state}; stops when it is done, failed, cancelled or paused.`);
  draw();
  try {
    for await (const event of watch(client, task, MONITOR_STOPS, 0, controller.signal)) {
      events.push(event);
      if (events.length > KEPT_OUTPUT * 2) dropOldOutput(events);
      if (io.screen) soon();
      else for (const line of eventLines(event)) io.out(line);
    }
    if (io.signal?.aborted) return 130;
    task = (await unwrap(client.get(id))).task;
  } finally {
    if (ticker) clearInterval(ticker);
    if (pending) clearTimeout(pending);
    controller.abort();
    if (io.screen) {
      draw();
      io.screen.write("\u001b[?25h");
    }
  }
  if (!io.screen) io.out(monitorSummary(task, events));
  return MONITOR_EXIT[task.state] ?? 1;
}

/** Old output chunks go (the screen shows the tail); state, command and other events stay. */
function dropOldOutput(events: TaskLogEvent[]): void {
  let outputs = events.filter((e) => e.data.type === "output").length;
  for (let i = 0; i < events.length && outputs > KEPT_OUTPUT; ) {
    if (events[i]!.data.type === "output") {
      events.splice(i, 1);
      outputs -= 1;
    } else i += 1;
  }
}

/** `events <id>`: the log as plain lines or JSON lines; with `follow`, live until the task is done, failed or cancelled. */
export async function printEvents(client: TaskClient, id: string, options: { follow: boolean; json: boolean; after: number }, io: WatchIo): Promise<number> {
  const { task } = await unwrap(client.get(id));
  const controller = linked(io.signal);
  const events = options.follow ? watch(client, task, TERMINAL_STATES, options.after, controller.signal) : history(client, id, options.after);
  try {
    for await (const event of events) {
      if (options.json) io.out(JSON.stringify(event));
      else for (const line of eventLines(event)) io.out(line);
    }
  } finally {
    controller.abort();
  }
  return io.signal?.aborted ? 130 : 0;
}
