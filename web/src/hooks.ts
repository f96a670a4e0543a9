/** Data loading for the pages: one GET with its state, polling while the page is visible, a ticking clock. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "./api.ts";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload(): void;
}

/** GET /api/v1<path> (none when path is null), again whenever the path changes. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [round, setRound] = useState(0);
  const shownPath = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new round asks for the same path again (reload)
  useEffect(() => {
    if (path === null) {
      setData(null);
      setError(null);
      setLoading(false);
      return;
    }
    const abort = new AbortController();
    if (shownPath.current !== path) setData(null);
    shownPath.current = path;
    setLoading(true);
    api
      .get<T>(path, { signal: abort.signal })
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== "AbortError") setError(e);
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/** Calls `tick` every `ms` while the page is visible (and once when it becomes visible again). */
export function useVisibleInterval(tick: () => void, ms: number, enabled = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") latest.current();
    }, ms);
    const onVisible = () => {
      if (document.visibilityState === "visible") latest.current();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [ms, enabled]);
}

/** Date.now(), updated every `ms` (for ages and elapsed times). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** Sets the document's title (the page's name first, for tabs and screen readers). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · OpenJules`;
  }, [title]);
}

export interface Action {
  busy: boolean;
  /** The last failure (shown with ProblemNotice); cleared when the next action starts. */
  problem: unknown;
  /** Runs `work` (one at a time, as the buttons are disabled while busy); true when it succeeded. */
  run(work: () => Promise<unknown>): Promise<boolean>;
}

/** A button's work: busy while it runs, its failure kept to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
      return true;
    } catch (error) {
      setProblem(error);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, run };
}
