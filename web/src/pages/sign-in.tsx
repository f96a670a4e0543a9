/** Not signed in (or the session ended): one link to sign in with GitHub, coming back to this page. */
import { useTitle } from "../hooks.ts";
import type { ApiProblem } from "../api.ts";
import { BASE } from "../router.tsx";

export function SignInPage({ next, problem }: { next: string; problem: ApiProblem }) {
  useTitle("Sign in");
  const back = next.startsWith(`${BASE}/`) ? next : `${BASE}/`;
  const expired = /expired|revoked|sign in again/i.test(problem.detail);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-4">
      <h1 className="mb-3 text-3xl font-bold">Sign in to OpenJules</h1>
      <p className="mb-4 text-slate-800">Start coding tasks on your repositories, approve their plans and watch them work, with your GitHub permissions.</p>
      {expired && (
        <p role="alert" className="mb-4 rounded-md border border-amber-400 bg-amber-50 p-3 text-amber-950">
          {problem.detail}
        </p>
      )}
      <a
        href={`${BASE}/auth/login?next=${encodeURIComponent(back)}`}
        className="inline-flex min-h-11 items-center justify-center rounded-md bg-slate-900 px-4 py-2 font-semibold text-white no-underline hover:bg-slate-700 hover:text-white"
      >
        Sign in with GitHub
      </a>
    </main>
  );
}
