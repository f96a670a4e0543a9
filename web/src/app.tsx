/**
 * The app's frame: who is signed in (GET /api/v1/me: 401 shows the sign-in
 * page, and so does a 401 from any later call), the header with the
 * navigation and Sign out, and the page for the current path.
 */
import { useCallback, useEffect, useState } from "react";
import { ApiProblem, api, onUnauthorized, setCsrfToken } from "./api.ts";
import { Button, Loading, ProblemNotice } from "./components/ui.tsx";
import { NewTaskPage } from "./pages/new-task.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { SettingsPage } from "./pages/settings.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { TaskPage } from "./pages/task.tsx";
import { TasksPage } from "./pages/tasks.tsx";
import { BASE, Link, matchRoute, type Route, useLocation } from "./router.tsx";
import { MeContext } from "./session.ts";
import type { Me } from "./types.ts";

type Session = { status: "loading" } | { status: "signed_out"; problem: ApiProblem } | { status: "signed_in"; me: Me } | { status: "error"; error: unknown };

export function App() {
  const [session, setSession] = useState<Session>({ status: "loading" });
  const load = useCallback(() => {
    setSession({ status: "loading" });
    api
      .get<Me>("/me")
      .then((me) => {
        setCsrfToken(me.csrfToken);
        setSession({ status: "signed_in", me });
      })
      .catch((error: unknown) => {
        if (error instanceof ApiProblem && error.status === 401) setSession({ status: "signed_out", problem: error });
        else setSession({ status: "error", error });
      });
  }, []);
  useEffect(load, [load]);
  useEffect(
    () =>
      onUnauthorized((problem) => {
        setCsrfToken(null);
        setSession({ status: "signed_out", problem });
      }),
    [],
  );
  const location = useLocation();

  if (session.status === "loading") {
    return (
      <main id="main" className="mx-auto max-w-5xl p-4">
        <Loading label="Loading OpenJules…" />
      </main>
    );
  }
  if (session.status === "signed_out") return <SignInPage next={location.href} problem={session.problem} />;
  if (session.status === "error") {
    return (
      <main id="main" className="mx-auto max-w-5xl p-4">
        <h1 className="mb-2 text-2xl font-bold">OpenJules is not available</h1>
        <ProblemNotice error={session.error} />
        <Button variant="primary" onClick={load}>
          Try again
        </Button>
      </main>
    );
  }
  const route = matchRoute(location.pathname);
  return (
    <MeContext.Provider value={session.me}>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <Header me={session.me} route={route} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 pb-16">
        <Page route={route} />
      </main>
    </MeContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "tasks":
      return <TasksPage />;
    case "new":
      return <NewTaskPage />;
    case "task":
      return <TaskPage key={route.id} id={route.id} />;
    case "settings":
      return <SettingsPage />;
    default:
      return <NotFoundPage />;
  }
}

const NAV: { href: string; label: string; page: Route["page"] }[] = [
  { href: `${BASE}/`, label: "Tasks", page: "tasks" },
  { href: `${BASE}/new`, label: "New task", page: "new" },
  { href: `${BASE}/settings`, label: "Settings", page: "settings" },
];

function Header({ me, route }: { me: Me; route: Route }) {
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch(`${BASE}/auth/logout`, { method: "POST", credentials: "same-origin", headers: me.csrfToken ? { "x-csrf-token": me.csrfToken } : {} });
      // The answer is a 303 to /app/, which fetch follows: anything but a page is a refusal.
      if (!res.ok) throw new ApiProblem({ title: "Sign out failed", status: res.status, detail: `The server answered ${res.status}; reload the page and try again.` });
      window.location.assign(`${BASE}/`);
    } catch (error) {
      setProblem(error);
      setBusy(false);
    }
  };
  return (
    <header className="border-b border-slate-300 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href={`${BASE}/`} className="text-lg font-bold text-slate-900 no-underline">
          OpenJules
        </Link>
        <nav aria-label="Main" className="flex-1">
          <ul className="flex flex-wrap gap-x-4 gap-y-1">
            {NAV.map((item) => (
              <li key={item.page}>
                <Link
                  href={item.href}
                  aria-current={route.page === item.page ? "page" : undefined}
                  className={`inline-block py-2 ${route.page === item.page ? "font-semibold text-slate-900" : ""}`}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="flex items-center gap-3">
          <span className="text-sm text-slate-700">
            {me.login ? `Signed in as ${me.login}` : "Signed in"}
            {me.operator ? " (operator)" : ""}
          </span>
          {me.face === "web" && (
            <Button onClick={signOut} disabled={busy}>
              Sign out
            </Button>
          )}
        </div>
      </div>
      {problem !== null && (
        <div className="mx-auto max-w-5xl px-4">
          <ProblemNotice error={problem} />
        </div>
      )}
    </header>
  );
}
